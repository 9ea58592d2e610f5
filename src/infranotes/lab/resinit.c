/* resinit.c - glibc's resolver configuration after res_init(), printed as one JSON line.
 *
 * res_init() reads /etc/resolv.conf, LOCALDOMAIN and RES_OPTIONS and copies the result into
 * _res; the search walk uses _res.ndots. Built with gcc only (musl's res_init() does nothing).
 * usage: resinit
 * output: {"rc":0,"ndots":15,"dnsrch":["a.test", ...]}
 * A search list that glibc cannot copy into _res ends in SIGABRT (resolv_conf.c assertion).
 */
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>

int main(void) {
    int rc = res_init();
    printf("{\"rc\":%d,\"ndots\":%u,\"dnsrch\":[", rc, (unsigned)_res.ndots);
    for (int i = 0; i < MAXDNSRCH && _res.dnsrch[i]; i++)
        printf("%s\"%s\"", i ? "," : "", _res.dnsrch[i]); /* domains hold no quotes here */
    printf("]}\n");
    return rc ? 2 : 0;
}
