/** `Uint8Array` from its values, for hand-written masks. */
export const u8 = (...v: number[]) => Uint8Array.from(v);

/**
 * A tiny CM layout for hand-checked evaluation and fusion tests: 2 bones × 3 surgeons on 4
 * voxels, row = bone·3 + surgeon. Bone 0's surgeons mark 3, 2, 1, 0 of its voxels' counts.
 */
export function twoBonesThreeSurgeons() {
  return {
    layout: { bones: 2, surgeons: 3 },
    masks: [
      u8(1, 1, 0, 0),
      u8(1, 0, 0, 0),
      u8(1, 1, 1, 0),
      u8(0, 0, 1, 1),
      u8(0, 0, 0, 1),
      u8(0, 1, 1, 1),
    ],
  };
}
