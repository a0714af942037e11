import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** A page for an error the user can act on (status code and a plain message). */
export function errorPage(ctx: PageContext, status: number, message: string): SafeHtml {
  return layout(
    'Error',
    ctx,
    html`
<h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1>
<p class="error" role="alert" data-testid="error-message">${message}</p>
<p><a href="/">Back to the start</a></p>
`,
  );
}
