{
  "targets": [
    {
      "target_name": "rpdl_cpu_kernels",
      "sources": ["dnnl_kernels.cc", "elementwise.cc", "max_pool_direct.cc", "channel_norm.cc", "up_sampling.cc", "adam.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-trapping-math"],
      "libraries": ["-ldnnl"],
      "conditions": [
        ["OS=='linux'", {
          "cflags_cc": ["-fopenmp"],
          "libraries": ["-fopenmp"]
        }],
        ["OS=='mac'", {
          "include_dirs": ["/opt/homebrew/include", "/usr/local/include"],
          "libraries": ["-L/opt/homebrew/lib", "-L/usr/local/lib"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-fno-trapping-math"]
          }
        }]
      ]
    }
  ]
}
