import {
  Conv3DBackpropFilterV2,
  type Conv3DBackpropFilterV2Attrs,
  Conv3DBackpropInputV2,
  type Conv3DBackpropInputV2Attrs,
  conv3d,
  engine,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
  type Tensor5D,
} from '@tensorflow/tfjs-core';

/**
 * Gradient of `Conv3DBackpropInputV2`, the kernel behind `conv3dTranspose`, which tfjs-core
 * 4.22 does not register. The transposed convolution `x = convᵀ(dy, W)` is linear in both
 * arguments, and its adjoints are the forward convolution and the filter gradient:
 * ∂L/∂dy = conv3d(∂L/∂x, W) and ∂L/∂W = conv3dBackpropFilter(∂L/∂x, dy), with the same strides
 * and padding.
 */
export const conv3DBackpropInputV2GradConfig: GradConfig = {
  kernelName: Conv3DBackpropInputV2,
  inputsToSave: ['dy', 'filter'],
  gradFunc: (ddx: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const upstream = (Array.isArray(ddx) ? ddx[0] : ddx) as Tensor5D;
    const [dy, filter] = saved as [Tensor5D, Tensor5D];
    const { strides, pad } = attrs as unknown as Conv3DBackpropInputV2Attrs;
    if (pad !== 'same' && pad !== 'valid') {
      throw new Error(
        `Gradient of Conv3DBackpropInputV2 supports 'same' or 'valid' padding, got ${String(pad)}`,
      );
    }
    return {
      dy: () => conv3d(upstream, filter, strides, pad),
      filter: () => {
        const filterAttrs: Conv3DBackpropFilterV2Attrs = {
          strides,
          pad,
          filterShape: filter.shape,
        };
        return engine().runKernel(
          Conv3DBackpropFilterV2,
          { x: upstream, dy },
          filterAttrs as unknown as NamedAttrMap,
        ) as Tensor;
      },
    };
  },
};
