/** `hub.trials`: the generated methods plus `refit`. */
import type { APIPromise, RequestOptions } from '@mlclients/package-core';
import { Trials as GeneratedTrials, type TrialCreateResponse } from '../generated/index.js';

/** `hub.trials`: the generated methods plus `refit`. */
export class Trials extends GeneratedTrials {
  /**
   * Refit a trial on new data. The Hub has no route of its own for it: it is `POST /trials` with
   * `{id, refit_data_path}`, and it returns a NEW trial (another id).
   */
  refit(id: string, refitDataPath: string, options?: RequestOptions): APIPromise<TrialCreateResponse> {
    return this.create({ id, refit_data_path: refitDataPath }, options);
  }
}
