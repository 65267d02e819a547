{
  "targets": [
    {
      "target_name": "fastnet",
      "sources": [
        "src/fastnet.c",
        "src/handle.c",
        "src/stream.c",
        "src/socket.c",
        "src/server.c",
        "src/sockopt.c",
        "src/bound.c",
        "src/latin1.c"
      ],
      "cflags": ["-std=c11", "-Wall", "-Wextra", "-Wunused-parameter", "-fvisibility=hidden"],
      "cflags!": ["-fno-exceptions"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "conditions": [
        ["OS=='mac'", { "xcode_settings": { "OTHER_CFLAGS": ["-std=c11", "-Wall", "-Wextra"] } }]
      ]
    }
  ]
}
