import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type passport from 'passport';
import { sdk, type TruValidateFailure, type TruValidateProfile, type TruValidateStrategy } from 'passport-truvalidate';
import type { AppDeps } from '../deps';
import { denialReasonText } from '../denial-reasons';
import { currentUser, pageContext, sendPage, setNotice, wantsJson } from '../http';
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

/** The auth request id of the login this browser session waits for (the strategy keeps it in the session). */
function pendingAuthRequestId(req: Request): string | null {
  const data = (req.session as unknown as Record<string, unknown> | undefined)?.['truvalidate'];
  const pending = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['pending'] : undefined;
  const id = pending !== null && typeof pending === 'object' ? (pending as Record<string, unknown>)['authRequestId'] : undefined;
  return typeof id === 'string' ? id : null;
}

function failureMessage(info: unknown): TruValidateFailure {
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
 * `GET /login/status` (the strategy's live status: `{ status, reason?, message? }`, plus `denialReason` (the
 * text the user picked) when denied; on `authorized` the session is logged in),
 * `POST /login/cancel` (cancels the pending push), `GET|POST /login/totp` (TOTP login), `POST /logout`.
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
        const failure = failureMessage(info);
        const httpStatus = typeof status === 'number' ? status : 401;
        if (wantsJson(req)) {
          res.status(httpStatus).json({ status: failure.status, reason: failure.reason, error: failure.message });
          return;
        }
        const username = typeof req.body?.username === 'string' ? req.body.username : '';
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
    const id = pendingAuthRequestId(req);
    const pending = id ? await strategy.store.getPending(id) : null;
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
    }));
  });

  const status = strategy.status();
  router.get('/login/status', (req: Request, res: Response, next: NextFunction) => {
    // The strategy answers { status, reason, message }; for a denial, add the text of the reason the user picked.
    const id = pendingAuthRequestId(req);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const answer = body as { status?: string } | null;
      if (!id || answer?.status !== 'denied') return json(body);
      strategy.store.getResult(id).then(
        (result) => json({ ...answer, denialReason: denialReasonText(result?.denialReason) }),
        () => json(body),
      );
      return res;
    };
    status(req, res, next);
  });

  router.post('/login/cancel', async (req: Request, res: Response) => {
    const id = pendingAuthRequestId(req);
    const pending = id ? await strategy.store.getPending(id) : null;
    let canceled = false;
    if (id && pending) {
      try {
        if (pending['decoy'] !== true) await deps.serviceClient.cancelAuthorizationRequest(id);
        canceled = true;
      } catch (error) {
        // Already answered (the answer stands) or already canceled: nothing to cancel.
        if (error instanceof sdk.AuthorizationRequestCanceled || error instanceof sdk.EntityNotFound) canceled = true;
        else if (!(error instanceof sdk.AuthorizationResponseExists)) throw error;
      }
      if (canceled) {
        await strategy.store.putResult(id, { status: 'canceled', reason: 'CANCELED' },
          Math.max(pending.expiresAt - Date.now(), 0) + 60_000);
      }
    }
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
