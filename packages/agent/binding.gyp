{
  "targets": [
    {
      "target_name": "tcp_proxy",
      "sources": ["native/tcp_proxy.c"],
      "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
