/* gai.c - one getaddrinfo() call, printed as one JSON line.
 *
 * infranotes builds this file twice, with gcc (glibc) and with musl-gcc -static (musl),
 * so the same program shows how each libc's stub resolver behaves.
 * usage: gai NAME [unspec|inet|inet6]
 * output: {"libc":"glibc","rc":0,"error":"Success","addrs":["1.2.3.4", ...]}
 * exit status: 0 when getaddrinfo() returned 0, 2 otherwise.
 */
#define _GNU_SOURCE /* EAI_NODATA is a GNU extension in both libcs */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#ifdef __GLIBC__
#define LIBC "glibc"
#else
#define LIBC "musl"
#endif

static const char *eai_name(int rc) {
    switch (rc) {
    case 0: return "ok";
    case EAI_NONAME: return "EAI_NONAME";
    case EAI_AGAIN: return "EAI_AGAIN";
    case EAI_FAIL: return "EAI_FAIL";
#ifdef EAI_NODATA
    case EAI_NODATA: return "EAI_NODATA";
#endif
    case EAI_SYSTEM: return "EAI_SYSTEM";
    default: return "EAI_OTHER";
    }
}

int main(int argc, char **argv) {
    struct addrinfo hints, *res = NULL, *ai;
    if (argc < 2) {
        fprintf(stderr, "usage: gai NAME [unspec|inet|inet6]\n");
        return 64;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM; /* one entry per address */
    if (argc > 2 && !strcmp(argv[2], "inet")) hints.ai_family = AF_INET;
    if (argc > 2 && !strcmp(argv[2], "inet6")) hints.ai_family = AF_INET6;
    int rc = getaddrinfo(argv[1], NULL, &hints, &res);
    printf("{\"libc\":\"%s\",\"rc\":%d,\"status\":\"%s\",\"addrs\":[", LIBC, rc, eai_name(rc));
    for (ai = rc == 0 ? res : NULL; ai; ai = ai->ai_next) {
        char buf[INET6_ADDRSTRLEN] = "";
        if (ai->ai_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, buf, sizeof buf);
        else if (ai->ai_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, buf, sizeof buf);
        printf("%s\"%s\"", ai == res ? "" : ",", buf);
    }
    printf("]}\n");
    if (res) freeaddrinfo(res);
    return rc ? 2 : 0;
}
