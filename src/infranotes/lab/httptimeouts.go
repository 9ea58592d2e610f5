// httptimeouts: a net/http client or server with the timeouts given on the command line,
// so infranotes can measure which Go timeout fires against each misbehaving peer.
//
//	httptimeouts client -url URL [-dial S] [-tls S] [-response-header S] [-expect-continue S]
//	                    [-total S] [-body N] [-expect] [-cafile F]
//	    prints one JSON object: fired, after_seconds, error, status, body_bytes
//	httptimeouts server [-read-header S] [-read S] [-write S] [-idle S] [-handler-sleep S]
//	    prints "listening 127.0.0.1:PORT", then one JSON object per event
//
// Durations are seconds (float); 0 means the field is left at its zero value, which in
// net/http means "no timeout".
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"strings"
	"sync"
	"time"
)

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

type clientResult struct {
	Fired        *string `json:"fired"`
	AfterSeconds float64 `json:"after_seconds"`
	Error        *string `json:"error"`
	Status       int     `json:"status"`
	BodyBytes    int     `json:"body_bytes"`
	Body         string  `json:"body"`
}

// classify names the timeout behind err from the texts net/http gives each one
// (client.go, transport.go and net/dial.go of Go 1.19).
func classify(err error) string {
	s := err.Error()
	var ne net.Error
	timeout := errors.As(err, &ne) && ne.Timeout()
	switch {
	case strings.Contains(s, "Client.Timeout"):
		return "Client.Timeout"
	case strings.Contains(s, "TLS handshake timeout"):
		return "TLSHandshakeTimeout"
	case strings.Contains(s, "timeout awaiting response headers"):
		return "ResponseHeaderTimeout"
	case strings.Contains(s, "dial tcp") && timeout:
		return "Dialer.Timeout"
	}
	return ""
}

func client(args []string) {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	url := fs.String("url", "", "URL to GET (or POST with -body)")
	dial := fs.Float64("dial", 0, "net.Dialer.Timeout")
	tlsTO := fs.Float64("tls", 0, "Transport.TLSHandshakeTimeout")
	respHdr := fs.Float64("response-header", 0, "Transport.ResponseHeaderTimeout")
	expect := fs.Float64("expect-continue", 0, "Transport.ExpectContinueTimeout")
	total := fs.Float64("total", 0, "Client.Timeout")
	body := fs.Int("body", 0, "bytes to POST (0: GET)")
	sendExpect := fs.Bool("expect", false, "send Expect: 100-continue")
	cafile := fs.String("cafile", "", "PEM file of the CA to trust")
	fs.Parse(args)

	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: seconds(*dial)}).DialContext,
		TLSHandshakeTimeout:   seconds(*tlsTO),
		ResponseHeaderTimeout: seconds(*respHdr),
		ExpectContinueTimeout: seconds(*expect),
		DisableKeepAlives:     true,
	}
	if *cafile != "" {
		pem, err := os.ReadFile(*cafile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	c := &http.Client{Transport: tr, Timeout: seconds(*total)}

	var mu sync.Mutex
	var waited, got100, bodyRead time.Time
	method := "GET"
	var reader io.Reader
	if *body > 0 {
		method = "POST"
		// The first read of the body is when the transport decided to send it: after a 100
		// Continue, or when ExpectContinueTimeout expired. (WroteRequest can come after the
		// response has been read, so it cannot tell this.)
		reader = &firstRead{r: bytes.NewReader(make([]byte, *body)), at: &bodyRead, mu: &mu}
	}
	req, err := http.NewRequest(method, *url, reader)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *body > 0 {
		req.ContentLength = int64(*body) // firstRead hides the length from NewRequest
	}
	if *sendExpect {
		req.Header.Set("Expect", "100-continue")
	}
	trace := &httptrace.ClientTrace{
		Wait100Continue: func() { mu.Lock(); waited = time.Now(); mu.Unlock() },
		Got100Continue:  func() { mu.Lock(); got100 = time.Now(); mu.Unlock() },
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))

	res := clientResult{}
	start := time.Now()
	resp, err := c.Do(req)
	if err == nil {
		res.Status = resp.StatusCode
		var data []byte
		data, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		res.BodyBytes = len(data)
		if len(data) <= 200 {
			res.Body = string(data)
		}
	}
	res.AfterSeconds = time.Since(start).Seconds()
	mu.Lock()
	if *expect > 0 && !waited.IsZero() && got100.IsZero() && !bodyRead.IsZero() {
		// The body went out because ExpectContinueTimeout expired, not because of a 100.
		name := "ExpectContinueTimeout"
		res.Fired = &name
		res.AfterSeconds = bodyRead.Sub(waited).Seconds()
	}
	mu.Unlock()
	if err != nil {
		text := err.Error()
		res.Error = &text
		if name := classify(err); name != "" {
			res.Fired = &name
		}
	}
	json.NewEncoder(os.Stdout).Encode(res)
}

// firstRead records when its reader is first read.
type firstRead struct {
	r  io.Reader
	at *time.Time
	mu *sync.Mutex
}

func (f *firstRead) Read(p []byte) (int, error) {
	f.mu.Lock()
	if f.at.IsZero() {
		*f.at = time.Now()
	}
	f.mu.Unlock()
	return f.r.Read(p)
}

type event struct {
	Event  string  `json:"event"`
	After  float64 `json:"after_seconds"`
	Detail string  `json:"detail,omitempty"`
}

func server(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	readHdr := fs.Float64("read-header", 0, "Server.ReadHeaderTimeout")
	read := fs.Float64("read", 0, "Server.ReadTimeout")
	write := fs.Float64("write", 0, "Server.WriteTimeout")
	idle := fs.Float64("idle", 0, "Server.IdleTimeout")
	sleep := fs.Float64("handler-sleep", 0, "seconds the handler sleeps before answering")
	fs.Parse(args)

	var mu sync.Mutex
	enc := json.NewEncoder(os.Stdout)
	emit := func(e event) { mu.Lock(); enc.Encode(e); mu.Unlock() }
	opened := sync.Map{} // net.Conn -> time.Time of StateNew

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			emit(event{"body_error", time.Since(start).Seconds(), err.Error()})
			http.Error(w, "reading the request body: "+err.Error(), http.StatusRequestTimeout)
			return
		}
		time.Sleep(seconds(*sleep))
		_, err = fmt.Fprintf(w, "read %d bytes\n", n)
		detail := ""
		if err != nil {
			detail = err.Error()
		}
		emit(event{"handler_done", time.Since(start).Seconds(), detail})
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: seconds(*readHdr),
		ReadTimeout:       seconds(*read),
		WriteTimeout:      seconds(*write),
		IdleTimeout:       seconds(*idle),
		ConnState: func(c net.Conn, s http.ConnState) {
			switch s {
			case http.StateNew:
				opened.Store(c, time.Now())
			case http.StateClosed, http.StateHijacked:
				if t, ok := opened.LoadAndDelete(c); ok {
					emit(event{"closed", time.Since(t.(time.Time)).Seconds(), ""})
				}
			}
		},
		ErrorLog: nil,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("listening %s\n", ln.Addr())
	go func() { io.Copy(io.Discard, os.Stdin); os.Exit(0) }() // stops when its parent goes
	srv.Serve(ln)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: httptimeouts client|server [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "client":
		client(os.Args[2:])
	case "server":
		server(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "usage: httptimeouts client|server [flags]")
		os.Exit(2)
	}
}
