/** Settings of ReduceLROnPlateau and early stopping (Keras semantics, monitored on val_loss). */
export interface ScheduleSettings {
  learningRate: number;
  plateauPatience: number;
  plateauFactor: number;
  /** Smallest improvement that resets the plateau counter (Keras's default 1e-4). */
  plateauMinDelta?: number;
  minLearningRate?: number;
  earlyStoppingPatience: number;
}

/** JSON-serialisable state of the schedule, saved in every epoch checkpoint. */
export interface ScheduleState {
  learningRate: number;
  plateauBest: number | null;
  plateauWait: number;
  bestValue: number | null;
  bestEpoch: number | null;
  stopWait: number;
}

/** What happened at the end of an epoch. */
export interface ScheduleDecision {
  state: ScheduleState;
  /** The epoch is the best so far: save its weights as the best checkpoint. */
  improved: boolean;
  /** The learning rate was reduced for the next epoch. */
  reduced: boolean;
  /** Early stopping triggered. */
  stop: boolean;
}

/**
 * The schedule before the first epoch.
 *
 * @example
 * initialSchedule({ learningRate: 1e-4, plateauPatience: 10, plateauFactor: 0.1, earlyStoppingPatience: 20 });
 */
export function initialSchedule(settings: ScheduleSettings): ScheduleState {
  for (const key of ['plateauPatience', 'earlyStoppingPatience'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) {
      throw new RangeError(`${key} must be an integer ≥ 1, got ${settings[key]}`);
    }
  }
  if (!(settings.plateauFactor > 0 && settings.plateauFactor < 1)) {
    throw new RangeError(`plateauFactor must be in (0, 1), got ${settings.plateauFactor}`);
  }
  return {
    learningRate: settings.learningRate,
    plateauBest: null,
    plateauWait: 0,
    bestValue: null,
    bestEpoch: null,
    stopWait: 0,
  };
}

/**
 * Advances the schedule by one epoch whose monitored loss was `value`: Keras's
 * ReduceLROnPlateau (improvement = below best − min delta; after `plateauPatience` epochs without,
 * LR × factor, floored at the minimum, counter reset) and EarlyStopping (improvement = below best;
 * stop after `earlyStoppingPatience` epochs without). Pure: returns a new state.
 *
 * @example
 * const { state, improved, stop } = advanceSchedule(previous, 0.42, 7, settings);
 */
export function advanceSchedule(
  previous: ScheduleState,
  value: number,
  epoch: number,
  settings: ScheduleSettings,
): ScheduleDecision {
  if (Number.isNaN(value)) throw new RangeError(`epoch ${epoch}: the monitored loss is NaN`);
  const state = { ...previous };
  const minDelta = settings.plateauMinDelta ?? 1e-4;
  let reduced = false;
  if (state.plateauBest === null || value < state.plateauBest - minDelta) {
    state.plateauBest = value;
    state.plateauWait = 0;
  } else {
    state.plateauWait += 1;
    if (state.plateauWait >= settings.plateauPatience) {
      const floor = settings.minLearningRate ?? 0;
      if (state.learningRate > floor) {
        state.learningRate = Math.max(state.learningRate * settings.plateauFactor, floor);
        reduced = true;
      }
      state.plateauWait = 0;
    }
  }
  let improved = false;
  if (state.bestValue === null || value < state.bestValue) {
    state.bestValue = value;
    state.bestEpoch = epoch;
    state.stopWait = 0;
    improved = true;
  } else {
    state.stopWait += 1;
  }
  return { state, improved, reduced, stop: state.stopWait >= settings.earlyStoppingPatience };
}
