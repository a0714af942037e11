import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type passport from 'passport';
import type { TruValidateFailure, TruValidateProfile, TruValidateStrategy } from 'passport-truvalidate';
import type { AppDeps } from '../deps';
import type { FormState } from '../session-data';
import { DENIAL_REASON_TEXTS } from '../denial-reasons';
import { currentUser, pageContext, redirectWithForm, sendPage, setNotice, takeForm, wantsJson } from '../http';
import type { AuthMethodView, HomeUser } from '../views/home';
import { loginPage, totpLoginPage, waitingPage } from '../views/login';

/**
 * The strategy's `verify`: every user TruValidate approved may log in here (the directory is the user list), and
 * so holds an account (recorded as linked, if the app did not know it: a user linked outside the app). The
 * session keeps who, how, when, and the auth methods the phone reported, for the home page.
 */
export function makeVerifyLogin(deps: Pick<AppDeps, 'accounts'>) {
  return async (username: string, profile: TruValidateProfile): Promise<HomeUser> => {
    const account = await deps.accounts.get(username);
    if (account?.state !== 'linked' || (profile.method === 'totp' && !account.totp)) {
      await deps.accounts.put({
        username,
        state: 'linked',
        linkExpiresAt: null,
        deviceId: null,
        totp: profile.method === 'totp' || (account?.totp ?? false),
        createdAt: account?.createdAt ?? Date.now(),
      });
    }
    return {
      username,
      method: profile.method,
      loggedInAt: Date.now(),
      authMethods: (profile.authMethods ?? []).map(toMethodView).filter((m): m is AuthMethodView => m !== null),
    };
  };
}

function toMethodView(value: unknown): AuthMethodView | null {
  if (value === null || typeof value !== 'object') return null;
  const m = value as Record<string, unknown>;
  if (typeof m['method'] !== 'string') return null;
  const flag = (key: string): boolean | null => (typeof m[key] === 'boolean' ? (m[key] as boolean) : null);
  return {
    method: m['method'],
    set: flag('set'),
    active: flag('active'),
    allowed: flag('allowed'),
    supported: flag('supported'),
    userRequired: flag('userRequired'),
    passed: flag('passed'),
    error: flag('error'),
  };
}

/** The strategy's failure (`info` of Passport's callback), with defaults for anything missing. */
function failureFrom(info: unknown): TruValidateFailure {
  const f = (info ?? {}) as Partial<TruValidateFailure>;
  return {
    message: typeof f.message === 'string' ? f.message : 'The login failed.',
    status: f.status ?? 'failed',
    reason: typeof f.reason === 'string' ? f.reason : 'FAILED',
    ...(typeof f.retryAfter === 'number' ? { retryAfter: f.retryAfter } : {}),
  };
}

/** Placeholder error of a limited form; the page replaces it with {@link limitMessage}. */
const LIMITED = 'Too many login attempts for now.';

/** What a page says over a limit: when to try again, in seconds and as a UTC clock time. */
export function limitMessage(retryAt: number, now = Date.now()): string {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  const at = new Date(now + seconds * 1000).toISOString().slice(11, 19);
  return `Too many login attempts for now. Try again in ${seconds} seconds (at ${at} UTC).`;
}

/**
 * Login and logout: `GET /login` (form), `POST /login` (`username`: 202 `{ status: 'pending' }` or a redirect to
 * the waiting page; with `otp` too, a TOTP login), `GET /login/wait` (waiting page: live status, countdown, cancel),
 * `GET /login/status` (the strategy's live status: `{ status, reason?, message?, denialReason? }`, the
 * `denialReason` being the id the user picked, whose text the waiting page shows; on `authorized` the session is
 * logged in), `POST /login/cancel` (cancels the pending push: `strategy.cancel`; `{ canceled: true }`, or `false`
 * when nothing is waiting any more), `GET|POST /login/totp` (TOTP login), `POST /logout`. A failed form post
 * redirects (303) to its form page, which shows the error with the failure's status.
 */
export function loginRoutes(
  deps: AppDeps,
  auth: InstanceType<typeof passport.Passport>,
  strategy: TruValidateStrategy,
): Router {
  const router = express.Router();

  /** The error line of a form: over a limit, when to try again (computed now); else the failure's message. */
  const formError = (form: FormState | null): string | null =>
    form?.retryAt !== undefined ? limitMessage(form.retryAt) : (form?.error ?? null);

  router.get('/login', (req, res) => {
    const form = takeForm(req, res, 'login');
    const username = form?.username ?? (typeof req.query['username'] === 'string' ? req.query['username'] : '');
    sendPage(res, loginPage(pageContext(req, deps.simulatorUrl), { username, error: formError(form) }));
  });

  router.get('/login/totp', (req, res) => {
    const form = takeForm(req, res, 'totp-login');
    sendPage(
      res,
      totpLoginPage(pageContext(req, deps.simulatorUrl), { username: form?.username ?? '', error: formError(form) }),
    );
  });

  const authenticate =
    (form: 'push' | 'totp') =>
    (req: Request, res: Response, next: NextFunction): void => {
      auth.authenticate(
        'truvalidate',
        (err: unknown, user: Express.User | false | null, info: unknown, status: unknown) => {
          if (err) {
            next(err);
            return;
          }
          if (!user) {
            const failure = failureFrom(info);
            const httpStatus = typeof status === 'number' ? status : 401;
            if (wantsJson(req)) {
              // Over a limit: 429, and the strategy has set Retry-After on this response.
              res.status(httpStatus).json({
                status: failure.status,
                reason: failure.reason,
                error: failure.message,
                ...(failure.retryAfter === undefined ? {} : { retryAfter: failure.retryAfter }),
              });
              return;
            }
            // POST-redirect-GET: the form page shows the error (with the status), and a reload sends nothing again.
            const body = req.body as Record<string, unknown> | undefined;
            const username = typeof body?.['username'] === 'string' ? body['username'] : '';
            const retryAt = failure.retryAfter === undefined ? undefined : Date.now() + failure.retryAfter * 1000;
            redirectWithForm(req, res, form === 'totp' ? '/login/totp' : '/login', {
              form: form === 'totp' ? 'totp-login' : 'login',
              error: retryAt === undefined ? failure.message : LIMITED,
              username,
              status: httpStatus,
              ...(retryAt === undefined ? {} : { retryAt }),
            });
            return;
          }
          req.logIn(user, (loginErr) => {
            if (loginErr) {
              next(loginErr);
              return;
            }
            if (wantsJson(req)) res.json({ status: 'authorized', user });
            else res.redirect(303, '/');
          });
        },
      )(req, res, next);
    };
  router.post('/login', authenticate('push'));
  router.post('/login/totp', authenticate('totp'));

  router.get('/login/wait', async (req: Request, res: Response) => {
    const pending = await strategy.pendingLogin(req);
    if (!pending) {
      if (currentUser(req)) {
        res.redirect(303, '/');
        return;
      }
      setNotice(req, 'No login is waiting in this browser. Start one here.');
      res.redirect(303, '/login');
      return;
    }
    sendPage(
      res,
      waitingPage(pageContext(req, deps.simulatorUrl), {
        username: pending.username,
        expiresAt: pending.expiresAt,
        denialReasons: DENIAL_REASON_TEXTS,
      }),
    );
  });

  router.get('/login/status', strategy.status());

  router.post('/login/cancel', async (req: Request, res: Response) => {
    // Cancels at TruValidate (an answer already given stands) and wakes the waiting page's status call.
    // `{ canceled: true }`, then `false` for a second cancel, or when the phone already answered.
    const canceled = await strategy.cancel(req);
    if (wantsJson(req)) {
      res.json({ canceled });
      return;
    }
    setNotice(req, canceled ? 'The login request was canceled.' : 'There was no login request to cancel.');
    res.redirect(303, '/login');
  });

  router.post('/logout', (req: Request, res: Response, next: NextFunction) => {
    const wasLoggedIn = currentUser(req) !== null;
    req.logout((err) => {
      if (err) {
        next(err);
        return;
      }
      if (wantsJson(req)) {
        res.json({ status: 'logged-out', wasLoggedIn });
        return;
      }
      setNotice(req, 'You are logged out.');
      res.redirect(303, '/');
    });
  });

  return router;
}
