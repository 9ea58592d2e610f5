"""Chinese for what the lab helpers print (see :mod:`infranotes.i18n`)."""

from infranotes.i18n import Messages

tr = Messages(
    {
        "not installed": "未安装",
        "Measured with {tools}.": "测量环境：{tools}。",
    }
)
