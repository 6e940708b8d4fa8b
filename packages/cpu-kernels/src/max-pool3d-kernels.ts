import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  backend_util,
  type MaxPool3DAttrs,
  type MaxPool3DGradAttrs,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { convParams, float32Values, type Geometry3D, shape5 } from './kernel-support.js';
import type { NativeAddon } from './native-binding.js';

function poolGeometry(info: backend_util.Conv3DInfo): Geometry3D {
  const p = info.padInfo;
  return {
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [1, 1, 1],
    padBefore: [p.front, p.top, p.left],
    padAfter: [p.back, p.bottom, p.right],
  };
}

function poolInfo(xShape: readonly number[], attrs: MaxPool3DGradAttrs, dataFormat?: string) {
  if (dataFormat === 'NCDHW') throw new Error('MaxPool3D: only NDHWC data is handled natively');
  const info = backend_util.computePool3DInfo(
    shape5(xShape, 'MaxPool3D x'),
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.dilationDepth * info.dilationHeight * info.dilationWidth !== 1) {
    throw new Error('MaxPool3D: dilated pooling is not handled natively');
  }
  // The pooling window is passed where a filter shape would be: [kd, kh, kw, 1, 1].
  const window = [info.filterDepth, info.filterHeight, info.filterWidth, 1, 1] as const;
  // Non-overlapping windows (U-net down-sampling) take a direct single pass, which also breaks
  // gradient ties like the stock kernel; overlapping ones go through oneDNN.
  const disjoint =
    info.strideDepth >= info.filterDepth &&
    info.strideHeight >= info.filterHeight &&
    info.strideWidth >= info.filterWidth;
  return { info, window, disjoint };
}

/**
 * Native `MaxPool3D` (NDHWC); padded voxels never win, as in the stock kernel.
 *
 * @example
 * const y = maxPool3dNative(addon)({ x }, backend, { filterSize: 2, strides: 2, pad: 'valid' });
 */
export function maxPool3dNative(addon: NativeAddon) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs: NamedAttrMap): TensorInfo => {
    const { x } = inputs as { x: TensorInfo };
    const a = attrs as unknown as MaxPool3DAttrs;
    const { info, window, disjoint } = poolInfo(x.shape, a, a.dataFormat);
    const outShape = shape5(info.outShape, 'MaxPool3D output');
    const y = new Float32Array(util.sizeFromShape(outShape));
    const params = convParams(shape5(x.shape, 'x'), window, outShape, poolGeometry(info));
    const xValues = float32Values(backend, x, 'x');
    if (disjoint) addon.maxPool3dForwardDirect(xValues, y, params);
    else addon.maxPool3dForward(xValues, y, params);
    return backend.makeTensorInfo(outShape, 'float32', y);
  };
}

/**
 * Native `MaxPool3DGrad`: routes each output gradient to the input voxel that was the maximum.
 * With non-overlapping windows ties go to the last maximum in scan order, as in the stock kernel;
 * with overlapping windows (oneDNN) a tie may go to another of the tied voxels (same total).
 *
 * @example
 * const dx = maxPool3dGradNative(addon)({ dy, input: x }, backend, { filterSize: 2, strides: 2, pad: 'valid' });
 */
export function maxPool3dGradNative(addon: NativeAddon) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs: NamedAttrMap): TensorInfo => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { info, window, disjoint } = poolInfo(
      input.shape,
      attrs as unknown as MaxPool3DGradAttrs,
    );
    if (!util.arraysEqual(dy.shape, info.outShape)) {
      throw new Error(
        `MaxPool3DGrad dy: expected shape [${info.outShape.join(', ')}], got [${dy.shape.join(', ')}]`,
      );
    }
    const xShape = shape5(input.shape, 'input');
    const dx = new Float32Array(util.sizeFromShape(xShape));
    const params = convParams(xShape, window, shape5(dy.shape, 'dy'), poolGeometry(info));
    const dyValues = float32Values(backend, dy, 'dy');
    const xValues = float32Values(backend, input, 'input');
    if (disjoint) addon.maxPool3dGradDirect(dyValues, xValues, dx, params);
    else addon.maxPool3dBackward(dyValues, xValues, dx, params);
    return backend.makeTensorInfo(xShape, 'float32', dx);
  };
}
