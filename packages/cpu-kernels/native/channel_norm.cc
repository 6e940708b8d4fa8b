// Fused channel normalisation for training: batch norm (one sample block, one group per channel)
// and group norm (one block per sample, `groups` groups of channels), forward with the block's
// own statistics and backward for x, γ and β, each in two passes over the volume instead of the
// dozen tfjs ops (each a full pass) that autodiff of the op-by-op formula produces.
//
// x is viewed as [blocks, rows, channels]; the statistics of block b and group g are taken over
// its rows and the group's channels (count M = rows · channels/groups). Sums accumulate in double,
// per thread and per channel, and are combined in a fixed order, so results do not depend on the
// number of threads beyond the order of those per-thread partial sums.

#include <napi.h>
#ifdef _OPENMP
#include <omp.h>
#else
inline int omp_get_max_threads() { return 1; }
inline int omp_get_thread_num() { return 0; }
inline int omp_get_num_threads() { return 1; }
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "native_kernels.h"

namespace {

constexpr int64_t kParallelThreshold = 1 << 15;

float *FloatArray(const Napi::Value &value, const char *name, int64_t length) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string("channel norm: ") + name + " must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (static_cast<int64_t>(array.ElementLength()) != length) {
    throw Napi::RangeError::New(value.Env(), std::string("channel norm: ") + name + " has " +
                                                 std::to_string(array.ElementLength()) + " elements, expected " +
                                                 std::to_string(length));
  }
  return array.Data();
}

struct Layout {
  int64_t blocks, rows, channels, groups;
  double epsilon;
};

Layout ReadLayout(const Napi::CallbackInfo &info, size_t at) {
  Layout l{info[at].As<Napi::Number>().Int64Value(), info[at + 1].As<Napi::Number>().Int64Value(),
           info[at + 2].As<Napi::Number>().Int64Value(), info[at + 3].As<Napi::Number>().Int64Value(),
           info[at + 4].As<Napi::Number>().DoubleValue()};
  if (l.blocks < 1 || l.rows < 1 || l.channels < 1 || l.groups < 1 || l.channels % l.groups != 0 ||
      !(l.epsilon > 0)) {
    throw Napi::RangeError::New(info.Env(), "channel norm: invalid layout (blocks, rows, channels, groups, epsilon)");
  }
  return l;
}

// Per-channel sums over the rows of one block: out_a[c] = Σ_r a[r, c], out_ab[c] = Σ_r a[r, c]·b[r, c]
// (b = a gives the sum of squares). Each thread sums a contiguous range of rows; the partial sums
// are added in thread order.
void ChannelSums(const float *a, const float *b, int64_t rows, int64_t channels, double *outA, double *outAB) {
  const bool parallel = rows * channels > kParallelThreshold;
  const int threads = parallel ? omp_get_max_threads() : 1;
  std::vector<double> partial(static_cast<size_t>(threads) * 2 * channels, 0.0);
#pragma omp parallel num_threads(threads) if (parallel)
  {
    const int t = omp_get_thread_num();
    const int n = omp_get_num_threads();
    double *sa = partial.data() + static_cast<size_t>(t) * 2 * channels;
    double *sab = sa + channels;
    const int64_t begin = rows * t / n;
    const int64_t end = rows * (t + 1) / n;
    for (int64_t r = begin; r < end; ++r) {
      const float *ar = a + r * channels;
      const float *br = b + r * channels;
      for (int64_t c = 0; c < channels; ++c) {
        const double av = ar[c];
        sa[c] += av;
        sab[c] += av * static_cast<double>(br[c]);
      }
    }
  }
  for (int64_t c = 0; c < channels; ++c) {
    outA[c] = 0;
    outAB[c] = 0;
  }
  for (int t = 0; t < threads; ++t) {
    const double *sa = partial.data() + static_cast<size_t>(t) * 2 * channels;
    for (int64_t c = 0; c < channels; ++c) {
      outA[c] += sa[c];
      outAB[c] += sa[channels + c];
    }
  }
}

// out[r, c] = a[r, c]·p[c] + q[c] (+ b[r, c]·s[c] when b is given), in double, rounded once.
void ChannelAffine(const float *a, const double *p, const float *b, const double *s, const double *q, int64_t rows,
                   int64_t channels, float *out) {
#pragma omp parallel for schedule(static) if (rows * channels > kParallelThreshold)
  for (int64_t r = 0; r < rows; ++r) {
    const float *ar = a + r * channels;
    float *o = out + r * channels;
    if (b == nullptr) {
      for (int64_t c = 0; c < channels; ++c) o[c] = static_cast<float>(ar[c] * p[c] + q[c]);
    } else {
      const float *br = b + r * channels;
      for (int64_t c = 0; c < channels; ++c) o[c] = static_cast<float>(ar[c] * p[c] + br[c] * s[c] + q[c]);
    }
  }
}

// channelNormForward(x, gamma, beta, y, mean, variance, blocks, rows, channels, groups, epsilon):
// y = γ·(x − μ)/√(σ² + ε) + β; mean and (biased) variance are [blocks, groups].
Napi::Value Forward(const Napi::CallbackInfo &info) {
  const Layout l = ReadLayout(info, 6);
  const int64_t size = l.blocks * l.rows * l.channels;
  const float *x = FloatArray(info[0], "x", size);
  const float *gamma = FloatArray(info[1], "gamma", l.channels);
  const float *beta = FloatArray(info[2], "beta", l.channels);
  float *y = FloatArray(info[3], "y", size);
  float *mean = FloatArray(info[4], "mean", l.blocks * l.groups);
  float *variance = FloatArray(info[5], "variance", l.blocks * l.groups);
  AdviseHugePages(y, static_cast<size_t>(size) * sizeof(float));
  const int64_t per = l.channels / l.groups;
  const double count = static_cast<double>(l.rows * per);
  std::vector<double> sum(l.channels), square(l.channels), scale(l.channels), shift(l.channels);
  for (int64_t b = 0; b < l.blocks; ++b) {
    const float *xb = x + b * l.rows * l.channels;
    ChannelSums(xb, xb, l.rows, l.channels, sum.data(), square.data());
    for (int64_t g = 0; g < l.groups; ++g) {
      double s = 0, q = 0;
      for (int64_t c = g * per; c < (g + 1) * per; ++c) {
        s += sum[c];
        q += square[c];
      }
      const double mu = s / count;
      const double var = std::max(q / count - mu * mu, 0.0);
      mean[b * l.groups + g] = static_cast<float>(mu);
      variance[b * l.groups + g] = static_cast<float>(var);
      const double inv = 1.0 / std::sqrt(var + l.epsilon);
      for (int64_t c = g * per; c < (g + 1) * per; ++c) {
        scale[c] = gamma[c] * inv;
        shift[c] = beta[c] - mu * scale[c];
      }
    }
    ChannelAffine(xb, scale.data(), nullptr, nullptr, shift.data(), l.rows, l.channels, y + b * l.rows * l.channels);
  }
  return info.Env().Undefined();
}

// channelNormBackward(dy, x, mean, variance, gamma, dx, dgamma, dbeta, blocks, rows, channels,
// groups, epsilon): with x̂ = (x − μ)·s, s = 1/√(σ² + ε), and g = γ·dy,
//   dβ_c = Σ dy,  dγ_c = Σ dy·x̂,  dx = s·(g − mean_group(g) − x̂·mean_group(g·x̂)).
// mean and variance must be the forward pass's statistics.
Napi::Value Backward(const Napi::CallbackInfo &info) {
  const Layout l = ReadLayout(info, 8);
  const int64_t size = l.blocks * l.rows * l.channels;
  const float *dy = FloatArray(info[0], "dy", size);
  const float *x = FloatArray(info[1], "x", size);
  const float *mean = FloatArray(info[2], "mean", l.blocks * l.groups);
  const float *variance = FloatArray(info[3], "variance", l.blocks * l.groups);
  const float *gamma = FloatArray(info[4], "gamma", l.channels);
  float *dx = FloatArray(info[5], "dx", size);
  float *dgamma = FloatArray(info[6], "dgamma", l.channels);
  float *dbeta = FloatArray(info[7], "dbeta", l.channels);
  AdviseHugePages(dx, static_cast<size_t>(size) * sizeof(float));
  const int64_t per = l.channels / l.groups;
  const double count = static_cast<double>(l.rows * per);
  std::vector<double> sumDy(l.channels), sumDyX(l.channels), a(l.channels), bx(l.channels), k(l.channels);
  std::vector<double> totalGamma(l.channels, 0.0), totalBeta(l.channels, 0.0);
  for (int64_t b = 0; b < l.blocks; ++b) {
    const int64_t offset = b * l.rows * l.channels;
    ChannelSums(dy + offset, x + offset, l.rows, l.channels, sumDy.data(), sumDyX.data());
    for (int64_t g = 0; g < l.groups; ++g) {
      const double mu = mean[b * l.groups + g];
      const double inv = 1.0 / std::sqrt(static_cast<double>(variance[b * l.groups + g]) + l.epsilon);
      double meanG = 0, meanGX = 0;
      for (int64_t c = g * per; c < (g + 1) * per; ++c) {
        // Σ dy·x̂ over the block's rows of channel c.
        const double dyXHat = inv * (sumDyX[c] - mu * sumDy[c]);
        totalBeta[c] += sumDy[c];
        totalGamma[c] += dyXHat;
        meanG += gamma[c] * sumDy[c];
        meanGX += gamma[c] * dyXHat;
      }
      meanG /= count;
      meanGX /= count;
      // dx = s·γ·dy − s²·meanGX·x + s·(μ·s·meanGX − meanG)
      for (int64_t c = g * per; c < (g + 1) * per; ++c) {
        a[c] = inv * gamma[c];
        bx[c] = -inv * inv * meanGX;
        k[c] = inv * (mu * inv * meanGX - meanG);
      }
    }
    ChannelAffine(dy + offset, a.data(), x + offset, bx.data(), k.data(), l.rows, l.channels, dx + offset);
  }
  for (int64_t c = 0; c < l.channels; ++c) {
    dgamma[c] = static_cast<float>(totalGamma[c]);
    dbeta[c] = static_cast<float>(totalBeta[c]);
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterChannelNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("channelNormForward", Napi::Function::New(env, Forward));
  exports.Set("channelNormBackward", Napi::Function::New(env, Backward));
}
