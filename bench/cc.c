/* Preloaded (LD_PRELOAD) into every process a bench measurement starts, core's and fastnet's alike:
 * sets TCP congestion control $FASTNET_BENCH_CC on each TCP socket as it is made (accepted sockets
 * inherit it from their listener). The bench uses it where the machine's default is not what it measures
 * under (cubic): BBR paces loopback transfers, which made 100 KB and 16 MiB results bimodal (see
 * bench/README.md). A socket it cannot set ends the process, so no measurement runs under the wrong one. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int socket(int domain, int type, int protocol) {
  static int (*real_socket)(int, int, int);
  if (real_socket == NULL) real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
  int fd = real_socket(domain, type, protocol);
  const char* cc = getenv("FASTNET_BENCH_CC");
  int base_type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0 || cc == NULL || *cc == '\0' || (domain != AF_INET && domain != AF_INET6) || base_type != SOCK_STREAM)
    return fd;
  if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, (socklen_t)strlen(cc)) != 0) {
    char msg[160];
    int n = snprintf(msg, sizeof(msg), "bench/cc.c: cannot set TCP congestion control %s on a socket\n", cc);
    if (n > 0) (void)!write(2, msg, (size_t)n);
    _exit(98);
  }
  return fd;
}
