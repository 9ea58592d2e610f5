"""Chinese for what the HTTP-timeouts chapter prints (see :mod:`infranotes.i18n`).

Besides the templates of ``tr(lang, ...)`` calls, the catalog holds the model's prose (timeout
notes, traps, misbehaviours, peer modes): it is data, written once in English where it is
defined, marked there with ``tr("en", ...)`` (gettext's ``N_``: the catalog test sees the
literal) and said in Chinese when a table is drawn, by :func:`data`.
"""

from infranotes.i18n import Messages, check_lang

tr = Messages(
    {
        # ---- phases of an exchange (model.CLIENT_PHASES, model.SERVER_PHASES)
        "dial": "拨号",
        "tls": "TLS 握手",
        "request headers": "请求头",
        "wait for 100": "等待 100 Continue",
        "request body": "请求体",
        "response headers": "响应头",
        "response body": "响应体",
        "idle in pool": "在连接池中空闲",
        "accept": "accept 连接",
        "handler": "处理函数",
        "response": "响应",
        "idle (keep-alive)": "空闲（keep-alive）",
        # ---- how a timeout counts (model.Timeout.kind)
        "deadline": "截止时间",
        "per-operation": "每次操作",
        # ---- the timeouts table
        "stack": "技术栈",
        "timeout": "超时",
        "covers": "覆盖阶段",
        "counts": "计时方式",
        "default": "默认值",
        "note": "说明",
        "none": "无",
        # ---- model.TIMEOUTS notes
        "from the start of reading a request to the end of its headers; 0 falls back to "
        "ReadTimeout. The TLS handshake gets the smallest of the three read and write timeouts": (
            "从开始读取请求到请求头结束；为 0 时沿用 ReadTimeout。"
            "TLS 握手取三个读写超时中最小的那个"
        ),
        "from the start of reading the request to the end of its body: a slow but steady "
        "upload fails too": "从开始读取请求到请求体结束：缓慢但不间断的上传也会失败",
        "set when the request headers have been read; it does not stop the handler, whose "
        "writes fail once it is past": (
            "读完请求头时设定；它不会中止处理函数，只是过了这个时间点后处理函数的写入都会失败"
        ),
        "between requests on a keep-alive connection; 0 falls back to ReadTimeout": (
            "keep-alive 连接上两次请求之间的空闲；为 0 时沿用 ReadTimeout"
        ),
        "the TCP connect; http.DefaultTransport sets 30 s": (
            "TCP 建连；http.DefaultTransport 设为 30 s"
        ),
        "the TLS handshake; http.DefaultTransport sets 10 s": (
            "TLS 握手；http.DefaultTransport 设为 10 s"
        ),
        "how long to wait for 100 Continue before sending the body anyway; 0 sends the body "
        "at once": "等待 100 Continue 多久之后照常发送请求体；为 0 时立即发送请求体",
        "from the end of writing the request to the response headers; the body is not "
        "covered": "从写完请求到收到响应头；不覆盖响应体",
        "how long an idle keep-alive connection stays in the pool; DefaultTransport: 90 s": (
            "空闲的 keep-alive 连接在连接池中保留多久；DefaultTransport 为 90 s"
        ),
        "the whole exchange, redirects and reading the body included": (
            "整个交互，包括重定向和读取响应体"
        ),
        "the TCP connect and then, with a budget of its own, the TLS handshake": (
            "TCP 建连，然后是另起计时的 TLS 握手"
        ),
        "each send of a chunk of the request": "每次发送请求的一块数据",
        "each receive of a chunk of the response: a server that trickles bytes never trips "
        "it": "每次接收响应的一块数据：一点一点往外挤字节的服务器永远触发不了它",
        "waiting for a free connection from the pool": "等待连接池中出现空闲连接",
        "httpx has none: an asyncio.timeout() (or anyio.fail_after) around the request": (
            "httpx 没有这个超时：要在请求外面套一层 asyncio.timeout()（或 anyio.fail_after）"
        ),
        "armed only after a response; any byte received cancels it, so a request that never "
        "completes is never timed out": (
            "只在发出响应后才启动；收到任何一个字节就取消，所以一个永远发不完的请求永远不会超时"
        ),
        "StreamRequestHandler.timeout: socket.settimeout on each connection, so each recv or "
        "send": (
            "StreamRequestHandler.timeout：对每个连接调用 socket.settimeout，"
            "所以管的是每次 recv 或 send"
        ),
        # ---- the traps table (model.TRAPS)
        "trap": "陷阱",
        "what happens": "会发生什么",
        "source": "出处",
        "WriteTimeout does not cancel the handler": "WriteTimeout 不会取消处理函数",
        "The handler runs to its end; only its writes fail. The client waits for the whole "
        "handler and then gets a closed connection with no response.": (
            "处理函数照样运行到结束，只是它的写入失败。客户端要等整个处理函数跑完，"
            "然后拿到一个没有任何响应就被关闭的连接。"
        ),
        "ReadTimeout includes the request body": "ReadTimeout 包括请求体",
        "It is one deadline from the first header byte to the last body byte: a slow but "
        "steady upload is cut off, and the handler sees an i/o timeout.": (
            "从请求头的第一个字节到请求体的最后一个字节是同一个截止时间：缓慢但不间断的上传会被切断，"
            "处理函数读到 i/o timeout。"
        ),
        "Client.Timeout includes reading the body": "Client.Timeout 包括读取响应体",
        "A large download on a slow link fails when Client.Timeout expires; "
        "ResponseHeaderTimeout does not cover the body at all.": (
            "慢速链路上的大文件下载会在 Client.Timeout 到期时失败；"
            "ResponseHeaderTimeout 则完全不覆盖响应体。"
        ),
        "No timeouts by default": "默认没有超时",
        "http.DefaultClient has Timeout 0 and http.Server's zero timeouts mean none; requests "
        "has none either. httpx is the exception: 5 s for each of its four.": (
            "http.DefaultClient 的 Timeout 是 0，http.Server 的零值超时表示不限时；"
            "requests 也没有超时。"
            "httpx 是例外：它的四个超时各为 5 s。"
        ),
        "httpx read and write are per operation": "httpx 的 read 和 write 按每次操作计时",
        "Each socket read gets the full budget again, so a server that sends one byte every "
        "50 ms keeps a request alive forever; only an overall deadline ends it.": (
            "每次 socket 读取都重新拿到完整的时限，"
            "所以每 50 ms 发一个字节的服务器能让请求永远不结束；"
            "只有一个总的截止时间才能结束它。"
        ),
        "uvicorn has no request-header timeout": "uvicorn 没有请求头超时",
        "Its only timer, timeout_keep_alive, starts after a response and stops at any byte: a "
        "slowloris client holds a connection for as long as it likes.": (
            "它唯一的计时器 timeout_keep_alive 在发出响应后启动，收到任何字节就停止："
            "slowloris 客户端想占住一个连接多久就占多久。"
        ),
        # ---- the peers (peers.MODES)
        "mode": "模式",
        "what the peer does": "对端的行为",
        "listens but never accepts, with its accept queue full: connect() hangs": (
            "监听但从不 accept，accept 队列已满：connect() 卡住"
        ),
        "accepts and reads the request, then never answers": "接受连接、读完请求，然后永不应答",
        "sends the status line and headers one byte at a time, never ending them": (
            "一次一个字节地发送状态行和响应头，永远不发完"
        ),
        "sends the headers and 1 KiB of a 1 MiB body, then stalls": (
            "发送响应头和 1 MiB 响应体中的 1 KiB，然后停住"
        ),
        "starts the TLS handshake (self-signed certificate) and never finishes it": (
            "开始 TLS 握手（自签名证书），但永不完成"
        ),
        "ignores Expect: 100-continue, waits for the body, reports when it came": (
            "无视 Expect: 100-continue，等待请求体，并报告它何时到达"
        ),
        "accepts and never reads: an upload fills the socket buffers and stalls": (
            "接受连接但从不读取：上传会填满 socket 缓冲区然后停住"
        ),
        "answers at once (a control)": "立即应答（对照组）",
        # ---- the measurements tables
        "misbehaviour": "异常行为",
        "configured": "配置",
        "model": "模型预测",
        "measured": "实测",
        "agree": "一致",
        "error / reply": "错误 / 回复",
        "none set": "未设置",
        "nothing (hangs)": "无（一直挂起）",
        "nothing (held / hung)": "无（连接未断 / 挂起）",
        "closed": "已关闭",
        "yes": "是",
        "NO": "否",
        " (2nd run)": "（第 2 次运行）",
        # ---- what a server run saw (scenarios.note)
        "response: {status}; handler finished": "响应：{status}；处理函数已结束",
        "response: {status}; handler finished after {seconds:.2f} s": (
            "响应：{status}；处理函数在 {seconds:.2f} s 后结束"
        ),
        "still open after {seconds:g} s": "{seconds:g} s 后仍未断开",
        "server said {response}": "服务器回复 {response}",
        "no response": "无响应",
        "handler: {detail}": "处理函数：{detail}",
        # ---- the summary table (model.MISBEHAVIOURS)
        "Go (measured)": "Go（实测）",
        "Python (measured)": "Python（实测）",
        "{stack} {conf}: answered, nothing had to fire": "{stack} {conf}：已应答，无须触发超时",
        "{stack} {conf}: no": "{stack} {conf}：无效",
        "the server's accept queue is full: SYNs are dropped": (
            "服务器的 accept 队列已满：SYN 被丢弃"
        ),
        "the TLS handshake never finishes": "TLS 握手永远完成不了",
        "Expect: 100-continue is ignored": "Expect: 100-continue 被无视",
        "the server never reads the upload": "服务器从不读取上传的数据",
        "the server reads the request and never answers": "服务器读完请求后永不应答",
        "the server sends its headers one byte every 50 ms, forever": (
            "服务器每 50 ms 发一个字节的响应头，永远发不完"
        ),
        "the server stalls in the middle of the body": "服务器在响应体中途停住",
        "the client connects and sends nothing": "客户端连上后什么也不发",
        "the client sends its headers one byte at a time, forever": (
            "客户端一次一个字节地发送请求头，永远发不完"
        ),
        "the client sends its body one byte at a time": "客户端一次一个字节地发送请求体",
        "the client keeps its connection open after a response and sends nothing": (
            "客户端在收到响应后保持连接，但什么也不再发"
        ),
        "our own handler takes longer than the write timeout": "我们自己的处理函数耗时超过写超时",
        # ---- TCP keep-alive (keepalive.py)
        "idle (s)": "空闲时间 (s)",
        "interval (s)": "探测间隔 (s)",
        "probes": "探测次数",
        "peer": "对端",
        "probes sent": "已发探测",
        "connection ended after": "连接结束于",
        "error": "错误",
        "process hung": "进程挂起",
        "host gone": "主机消失",
        "still open at 6 s": "6 s 时仍未断开",
        # ---- the CLI cell
        "exit {code}": "退出状态 {code}",
    }
)


def data(lang: str, english: str) -> str:
    """Prose the model holds as data (marked ``tr("en", ...)`` where written), in ``lang``.

    Text never marked stays English; tests/httptimeouts/test_zh_output.py holds every piece
    of the model's prose to a translation.
    """
    return english if check_lang(lang) == "en" else tr.zh.get(english, english)
