import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type passport from 'passport';
import type { TruValidateFailure, TruValidateProfile, TruValidateStrategy } from 'passport-truvalidate';
import type { AppDeps } from '../deps';
import { DENIAL_REASON_TEXTS } from '../denial-reasons';
import { bodyField, currentUser, pageContext, sendPage, setNotice, wantsJson } from '../http';
import type { AuthMethodView, HomeUser } from '../views/home';
import { loginPage, totpLoginPage, waitingPage } from '../views/login';

/**
 * The strategy's `verify`: every user TruValidate approved may log in here (the directory is the user list). The
 * session keeps who, how, when, and the auth methods the phone reported, for the home page.
 */
export async function verifyLogin(username: string, profile: TruValidateProfile): Promise<HomeUser> {
  return {
    username,
    method: profile.method,
    loggedInAt: Date.now(),
    authMethods: (profile.authMethods ?? []).map(toMethodView).filter((m): m is AuthMethodView => m !== null),
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
  };
}

/**
 * Login and logout: `GET /login` (form), `POST /login` (`username`: 202 `{ status: 'pending' }` or a redirect to
 * the waiting page; with `otp` too, a TOTP login), `GET /login/wait` (waiting page: live status, countdown, cancel),
 * `GET /login/status` (the strategy's live status: `{ status, reason?, message?, denialReason? }`, the
 * `denialReason` being the id the user picked, whose text the waiting page shows; on `authorized` the session is
 * logged in), `POST /login/cancel` (cancels the pending push: `strategy.cancel`), `GET|POST /login/totp` (TOTP
 * login), `POST /logout`.
 */
export function loginRoutes(deps: AppDeps, auth: InstanceType<typeof passport.Passport>, strategy: TruValidateStrategy): Router {
  const router = express.Router();

  router.get('/login', (req, res) => {
    const username = typeof req.query['username'] === 'string' ? req.query['username'] : '';
    sendPage(res, loginPage(pageContext(req, deps.simulatorUrl), { username }));
  });

  router.get('/login/totp', (req, res) => {
    sendPage(res, totpLoginPage(pageContext(req, deps.simulatorUrl)));
  });

  const authenticate = (form: 'push' | 'totp') => (req: Request, res: Response, next: NextFunction): void => {
    auth.authenticate('truvalidate', (err: unknown, user: Express.User | false | null, info: unknown, status: unknown) => {
      if (err) {
        next(err);
        return;
      }
      if (!user) {
        const failure = failureFrom(info);
        const httpStatus = typeof status === 'number' ? status : 401;
        if (wantsJson(req)) {
          res.status(httpStatus).json({ status: failure.status, reason: failure.reason, error: failure.message });
          return;
        }
        const username = bodyField(req, 'username') ?? '';
        const ctx = pageContext(req, deps.simulatorUrl);
        sendPage(res, form === 'totp'
          ? totpLoginPage(ctx, { username, error: failure.message })
          : loginPage(ctx, { username, error: failure.message }), httpStatus);
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
    })(req, res, next);
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
    sendPage(res, waitingPage(pageContext(req, deps.simulatorUrl), {
      username: pending.username,
      expiresAt: pending.expiresAt,
      denialReasons: DENIAL_REASON_TEXTS,
    }));
  });

  router.get('/login/status', strategy.status());

  router.post('/login/cancel', async (req: Request, res: Response) => {
    // Cancels at TruValidate (an answer already given stands) and wakes the waiting page's status call.
    const canceled = await strategy.cancel(req);
    if (wantsJson(req)) {
      if (canceled) res.json({ status: 'canceled' });
      else res.status(409).json({ error: 'No login to cancel: it was already answered or none is waiting.', code: 'ERR_EXAMPLE_NOTHING_TO_CANCEL' });
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
