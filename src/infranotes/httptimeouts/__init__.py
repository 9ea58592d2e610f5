"""HTTP timeouts, server and client: which timeout covers which phase of an HTTP/1.1
exchange (Go's net/http, httpx, uvicorn, http.server), and misbehaving peers on 127.0.0.1
that show which one fires."""
