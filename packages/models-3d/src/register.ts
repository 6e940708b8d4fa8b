/**
 * Side-effect module: registers the `Conv3DBackpropInputV2` gradient (so `conv3dTranspose`
 * trains), the gradients of the optional fused normalisation and up-sampling kernels, and every
 * custom layer class of this package with tfjs serialisation (so `loadLayersModel` can rebuild
 * saved models, including those saved under the classes' names from before the `rpdl>`
 * namespace). Importing it twice is harmless.
 */
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import { conv3DBackpropInputV2GradConfig } from './gradients/conv3d-backprop-input-v2-grad.js';
import { BatchNormalization3D } from './layers/batch-normalization-3d.js';
import { channelNormGradConfig } from './layers/channel-norm-kernel.js';
import { registerLayerClass } from './layers/class-name.js';
import { GroupNormalization } from './layers/group-normalization.js';
import { SpatialDropout3D } from './layers/spatial-dropout-3d.js';
import { UpSampling3D } from './layers/up-sampling-3d.js';
import { upSampling3dGradConfig } from './layers/up-sampling-kernel.js';
import { VaeSampling } from './layers/vae-sampling.js';

// A later tfjs-core may ship its own gradient; keep that one rather than warn about overriding.
if (getGradient(conv3DBackpropInputV2GradConfig.kernelName) == null) {
  registerGradient(conv3DBackpropInputV2GradConfig);
}
// The gradient of this package's own fused normalisation kernel (a backend may implement it).
if (getGradient(channelNormGradConfig.kernelName) == null) {
  registerGradient(channelNormGradConfig);
}
if (getGradient(upSampling3dGradConfig.kernelName) == null) {
  registerGradient(upSampling3dGradConfig);
}

// Under `rpdl>Name`, and under the bare names models were saved with before the namespace.
registerLayerClass(BatchNormalization3D);
registerLayerClass(UpSampling3D);
registerLayerClass(SpatialDropout3D);
registerLayerClass(GroupNormalization);
registerLayerClass(VaeSampling);
