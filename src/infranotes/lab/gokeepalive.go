// gokeepalive: what Go's net.Dialer{KeepAlive} sets on the socket, read back with getsockopt.
// Usage: gokeepalive PERIOD (a Go duration; "0" for the default, "-1s" to disable).
// Prints one JSON object: {"keepalive": 0|1, "idle_s": N, "interval_s": N, "count": N}.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

func main() {
	period, err := time.ParseDuration(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ln.Close()
	d := net.Dialer{KeepAlive: period}
	conn, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer conn.Close()
	raw, _ := conn.(*net.TCPConn).SyscallConn()
	out := map[string]int{}
	raw.Control(func(fd uintptr) {
		get := func(level, opt int) int {
			v, _ := syscall.GetsockoptInt(int(fd), level, opt)
			return v
		}
		out["keepalive"] = get(syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
		out["idle_s"] = get(syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE)
		out["interval_s"] = get(syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL)
		out["count"] = get(syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT)
	})
	json.NewEncoder(os.Stdout).Encode(out)
}
