import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  backend_util,
  type Conv3DAttrs,
  type Conv3DBackpropFilterV2Attrs,
  type Conv3DBackpropInputV2Attrs,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { convParams, float32Values, type Geometry3D, shape5 } from './kernel-support.js';
import type { NativeAddon } from './native-binding.js';

/**
 * The oneDNN geometry of a tfjs 3D convolution: tfjs's own padding split (front/top/left first),
 * so 'same' padding puts the odd extra voxel after, exactly as the stock kernel does.
 *
 * @example
 * const info = backend_util.computeConv3DInfo([1, 9, 9, 9, 1], [3, 3, 3, 1, 4], 2, 1, 'same');
 * const g = convGeometry(info); // g.padBefore = [1, 1, 1], g.padAfter = [1, 1, 1]
 */
export function convGeometry(info: backend_util.Conv3DInfo): Geometry3D {
  const p = info.padInfo;
  return {
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [info.dilationDepth, info.dilationHeight, info.dilationWidth],
    padBefore: [p.front, p.top, p.left],
    padAfter: [p.back, p.bottom, p.right],
  };
}

function sameShape(a: number[], b: number[], what: string): void {
  if (!util.arraysEqual(a, b)) {
    throw new Error(`${what}: expected shape [${b.join(', ')}], got [${a.join(', ')}]`);
  }
}

/**
 * Native `Conv3D` (NDHWC input, [kd, kh, kw, in, out] filter).
 *
 * @example
 * const y = conv3dNative(addon)({ x, filter }, backend, { strides: 1, pad: 'same', dilations: 1 });
 */
export function conv3dNative(addon: NativeAddon) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs: NamedAttrMap): TensorInfo => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dilations, dataFormat } = attrs as unknown as Conv3DAttrs;
    if (dataFormat === 'NCDHW') throw new Error('Conv3D: only NDHWC data is handled natively');
    const info = backend_util.computeConv3DInfo(
      shape5(x.shape, 'Conv3D x'),
      shape5(filter.shape, 'Conv3D filter'),
      strides,
      dilations,
      pad,
    );
    const outShape = shape5(info.outShape, 'Conv3D output');
    const y = new Float32Array(util.sizeFromShape(outShape));
    const params = convParams(
      shape5(x.shape, 'x'),
      shape5(filter.shape, 'filter'),
      outShape,
      convGeometry(info),
    );
    addon.conv3dForward(
      float32Values(backend, x, 'x'),
      float32Values(backend, filter, 'filter'),
      y,
      params,
    );
    return backend.makeTensorInfo(outShape, 'float32', y);
  };
}

/**
 * Native `Conv3DBackpropInputV2`: the gradient of a 3D convolution with respect to its input.
 *
 * @example
 * const dx = conv3dBackpropInputNative(addon)({ dy, filter }, backend, { strides: 1, pad: 'same', inputShape });
 */
export function conv3dBackpropInputNative(addon: NativeAddon) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs: NamedAttrMap): TensorInfo => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, inputShape } = attrs as unknown as Conv3DBackpropInputV2Attrs;
    const xShape = shape5(inputShape, 'Conv3DBackpropInputV2 inputShape');
    const info = backend_util.computeConv3DInfo(
      xShape,
      shape5(filter.shape, 'filter'),
      strides,
      1,
      pad,
    );
    sameShape(dy.shape, info.outShape, 'Conv3DBackpropInputV2 dy');
    const dx = new Float32Array(util.sizeFromShape(xShape));
    const params = convParams(
      xShape,
      shape5(filter.shape, 'filter'),
      shape5(dy.shape, 'dy'),
      convGeometry(info),
    );
    addon.conv3dBackwardData(
      float32Values(backend, dy, 'dy'),
      float32Values(backend, filter, 'filter'),
      dx,
      params,
    );
    return backend.makeTensorInfo(xShape, 'float32', dx);
  };
}

/**
 * Native `Conv3DBackpropFilterV2`: the gradient of a 3D convolution with respect to its filter.
 *
 * @example
 * const dw = conv3dBackpropFilterNative(addon)({ x, dy }, backend, { strides: 1, pad: 'same', filterShape });
 */
export function conv3dBackpropFilterNative(addon: NativeAddon) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs: NamedAttrMap): TensorInfo => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, filterShape } = attrs as unknown as Conv3DBackpropFilterV2Attrs;
    const wShape = shape5(filterShape, 'Conv3DBackpropFilterV2 filterShape');
    const info = backend_util.computeConv3DInfo(shape5(x.shape, 'x'), wShape, strides, 1, pad);
    sameShape(dy.shape, info.outShape, 'Conv3DBackpropFilterV2 dy');
    const dw = new Float32Array(util.sizeFromShape(wShape));
    const params = convParams(
      shape5(x.shape, 'x'),
      wShape,
      shape5(dy.shape, 'dy'),
      convGeometry(info),
    );
    addon.conv3dBackwardFilter(
      float32Values(backend, x, 'x'),
      float32Values(backend, dy, 'dy'),
      dw,
      params,
    );
    return backend.makeTensorInfo(wShape, 'float32', dw);
  };
}
