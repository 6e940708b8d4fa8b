#pragma once
#include <napi.h>

// Adds the element-wise, reduction and copy kernels to the addon's exports.
void RegisterElementwise(Napi::Env env, Napi::Object exports);

// Adds the direct (non-overlapping window) max pooling and its gradient to the addon's exports.
void RegisterMaxPoolGrad(Napi::Env env, Napi::Object exports);

#include <cstddef>
#include <cstdint>
#if defined(__linux__)
#include <sys/mman.h>
#endif

// Every kernel writes a freshly allocated output array, and first-touch page faults on 4 KiB
// pages cost more than the arithmetic of a memory-bound kernel. Asking for transparent huge pages
// on the whole 2 MiB pages inside a large output turns ~512 faults per 2 MiB into one. Advice
// only: without THP (or on other systems) nothing changes.
inline void AdviseHugePages(void *data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  if (bytes < 2 * kHuge) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// Adds the fused batch-norm / group-norm training kernels (forward and backward) to the exports.
void RegisterChannelNorm(Napi::Env env, Napi::Object exports);

// Adds nearest-neighbour 3D up-sampling (forward and its block-sum gradient) to the exports.
void RegisterUpSampling(Napi::Env env, Napi::Object exports);

// Adds the fused Adam update of one weight tensor to the exports.
void RegisterAdam(Napi::Env env, Napi::Object exports);
