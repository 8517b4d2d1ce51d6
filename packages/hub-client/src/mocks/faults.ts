/**
 * Fault injection for the fake Hub: package-core's one switchboard, plus the Hub's own outage page. Queue a status,
 * a `Retry-After`, a delay or a dropped connection for the next N matching calls, or add a scripted/random plan.
 */
import { type FaultRule, FaultSwitchboard } from '@mlclients/package-core/testing';

/** One injected fault (package-core's `FaultRule`). */
export type Fault = FaultRule;

/** The switchboard returned by `createHubFake().faults`. */
export class Faults extends FaultSwitchboard {
  /** The next `times` calls get Heroku's 503 "Application Error" HTML page (as recorded). */
  serverUnavailable(options: Omit<Fault, 'status' | 'body'> = {}): this {
    return this.inject({ ...options, status: 503, body: HEROKU_503_PAGE });
  }
}

/** The page Heroku serves when the app is down (shortened from general_errors/server_unavailable.yaml). */
export const HEROKU_503_PAGE = `<!DOCTYPE html>
<html>
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta charset="utf-8">
    <title>Application Error</title>
  </head>
  <body>
    <iframe src="//www.herokucdn.com/error-pages/application-error.html"></iframe>
  </body>
</html>`;
