import { describe, expect, it } from 'vitest';
import { MODEL_ORDER } from './grid.js';
import { getProfile, PROFILES } from './profiles.js';

describe('profiles', () => {
  it('looks profiles up by name and lists the valid names for an unknown one', () => {
    expect(getProfile('models').name).toBe('models');
    expect(() => getProfile('fast')).toThrow(
      'unknown profile "fast"; expected one of paper, quick, models, smoke',
    );
  });

  it('keep the epoch cap a safety limit: room for early stopping after an LR reduction', () => {
    for (const profile of Object.values(PROFILES)) {
      const t = profile.training;
      if (profile.name === 'smoke') continue; // one epoch on purpose
      expect(t.plateauPatience, profile.name).toBeLessThan(t.earlyStoppingPatience);
      expect(t.maxEpochs, profile.name).toBeGreaterThanOrEqual(8 * t.earlyStoppingPatience);
    }
  });

  it('train every model and loss with the same settings in the CPU profiles', () => {
    const quick = getProfile('quick');
    const models = getProfile('models');
    expect(models.training).toEqual(quick.training);
    expect(models.model).toEqual(quick.model);
    expect(models.phantom).toEqual(quick.phantom);
    expect(quick.training.myronenkoBatchSize).toBe(quick.training.batchSize);
    expect(quick.defaults.models).toEqual(['unet3d']);
    expect(models.defaults.models).toEqual(MODEL_ORDER);
    expect(models.defaults.losses).toEqual(quick.defaults.losses);
    expect(models.defaults.folds).toBeUndefined();
  });

  it('fit every model to its phantom (each level halves the volume)', () => {
    for (const profile of Object.values(PROFILES)) {
      const { size } = profile.phantom;
      expect(size % 2 ** (profile.model.depth - 1), profile.name).toBe(0);
      expect(size % 2 ** profile.model.myronenkoDepth, profile.name).toBe(0);
    }
  });
});
