import { html, raw, type SafeHtml } from './html';

/** What {@link usernameForm} shows. */
export interface UsernameFormView {
  /** Where the form posts (e.g. `/login`). */
  action: string;
  /** Text of the submit button. */
  submitLabel: string;
  /** `data-testid` of the error paragraph (e.g. `login-error`). */
  errorTestId: string;
  /** The username to prefill. Default: empty. */
  username?: string;
  /** An error shown above the form. Default: none. */
  error?: string | null;
  /** Whether the username field takes the focus. Default: true. */
  autofocus?: boolean;
  /** More fields between the username and the submit button, each line ending with a newline. Default: none. */
  extraFields?: SafeHtml;
}

/**
 * The error line (when there is one) and a POST form with a username field, optional extra fields and a submit button.
 */
export function usernameForm(view: UsernameFormView): SafeHtml {
  const error = view.error
    ? html`<p class="error" role="alert" data-testid="${view.errorTestId}">${view.error}</p>`
    : null;
  return html`${error}
<form method="post" action="${view.action}">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${view.username ?? ''}" autocomplete="username"
  autocapitalize="none" spellcheck="false" required${view.autofocus === false ? null : raw(' autofocus')}>
${view.extraFields ?? null}<div><button type="submit">${view.submitLabel}</button></div>
</form>`;
}
