"""Chinese for what the timekeeping code prints (see :mod:`infranotes.i18n`).

The zone doctor's warnings and sources are data: the CLI prints them, ``--json`` carries them,
the oracle tests compare them. They stay English strings, but each one is a :class:`Said`,
which also carries its Chinese rendering, so a table can show it in either language
(:func:`say`) while every comparison and the JSON still see the English.
"""

from __future__ import annotations

from collections.abc import Callable

from infranotes.i18n import Messages, check_lang


class Said(str):
    """An English message (what compares, prints and goes into JSON) with its Chinese."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Said:
        self = super().__new__(cls, en)
        self.zh = zh
        return self

    def __reduce__(self):
        return (Said, (str(self), self.zh))


def said(render: Callable[[str], str]) -> Said:
    """``render("en")`` as the string, ``render("zh")`` kept beside it.

    Both are rendered at once, so a later change of the variables ``render`` reads cannot
    make the two disagree."""
    return Said(render("en"), render("zh"))


def say(text: str, lang: str) -> str:
    """``text`` in ``lang``: the Chinese of a :class:`Said`; any other string as it is."""
    if check_lang(lang) == "zh" and isinstance(text, Said):
        return text.zh
    return str(text)


tr = Messages(
    {
        # the zone doctor's warnings (resolve.py)
        "{label} is not a TZif file: UTC is used": "{label} 不是 TZif 文件：使用 UTC",
        "{label} is a TZif file {libc} refuses ({why}): UTC is used": (
            "{label} 是 {libc} 拒绝加载的 TZif 文件（{why}）：使用 UTC"
        ),
        "{label} is damaged ({why}) but {libc} still uses it: the values below are what "
        "{libc} makes of it, not the zone's": (
            "{label} 已损坏（{why}），但 {libc} 仍然使用它：下面的值是 {libc} "
            "从中读出的结果，不是这个时区本来的值"
        ),
        "/etc/localtime points to {target}, which does not exist or is not a TZif file: "
        "UTC is used": "/etc/localtime 指向 {target}，它不存在或不是 TZif 文件：使用 UTC",
        "/etc/localtime is missing: UTC is used (install tzdata and link a zone)": (
            "/etc/localtime 不存在：使用 UTC（请安装 tzdata 并链接一个时区）"
        ),
        "/etc/localtime is a copy, not a symlink: the zone name is lost (same content as "
        "{same}) and a tzdata update will not reach it": (
            "/etc/localtime 是副本而不是符号链接：时区名已丢失（内容与 {same} 相同），"
            "tzdata 更新也不会作用到它"
        ),
        "/etc/localtime is a copy that matches no zone file here: stale after a tzdata "
        "update, or from another tzdata release": (
            "/etc/localtime 是副本，且与这里的任何时区文件都不一致：tzdata 更新后它已过时，"
            "或者它来自另一个 tzdata 版本"
        ),
        "{libc} reports a UTC offset of {offset} s, which no zone has (RFC 8536 allows "
        "-89999..93599): a program's local times will be garbage": (
            "{libc} 报告的 UTC 偏移是 {offset} s，没有哪个时区是这样的（RFC 8536 允许 "
            "-89999..93599）：程序得到的本地时间将毫无意义"
        ),
        '{libc} gives an empty zone name here (tm_zone is "")': (
            '{libc} 在这里给出空的时区名（tm_zone 为 ""）'
        ),
        "TZDIR={tzdir}: glibc looks for zones there (musl does not)": (
            "TZDIR={tzdir}：glibc 在那里查找时区（musl 不会）"
        ),
        "TZ is empty and {path} cannot be used: glibc reads 'Universal' as a POSIX TZ "
        "string, a zone named 'Universal' at UTC+0": (
            "TZ 为空且 {path} 无法使用：glibc 把 'Universal' 当作 POSIX TZ 字符串读取，"
            "得到一个名为 'Universal'、偏移为 UTC+0 的时区"
        ),
        "TZ={tz}: glibc then reads the value as a POSIX TZ string": (
            "TZ={tz}：glibc 于是把这个值当作 POSIX TZ 字符串读取"
        ),
        "TZ={tz}: no zone file {path}; glibc read it as a POSIX TZ string, so the zone is "
        "'{std}' at UTC{offset}": (
            "TZ={tz}：没有时区文件 {path}；glibc 把它当作 POSIX TZ 字符串读取，"
            "于是时区成了 '{std}'，偏移 UTC{offset}"
        ),
        "musl ignores TZDIR": "musl 忽略 TZDIR",
        "TZ={tz}: musl found no zone file: UTC is used": "TZ={tz}：musl 找不到时区文件：使用 UTC",
        "TZ={tz} is not a valid POSIX TZ string; musl reads whatever prefix it can": (
            "TZ={tz} 不是合法的 POSIX TZ 字符串；musl 能读多少前缀就读多少"
        ),
        "TZ={tz} names a DST zone without rules: musl applies DST all year (glibc would "
        "load the zone file of that name, or take posixrules)": (
            "TZ={tz} 指定了一个没有规则的夏令时时区：musl 全年都按夏令时算（glibc "
            "则会加载同名的时区文件，或者采用 posixrules）"
        ),
        "/etc/timezone says {name!r} but the C library uses {used}: libc never reads "
        "/etc/timezone (Debian's dpkg-reconfigure tzdata, some Java builds and Python's "
        "tzlocal do)": (
            "/etc/timezone 写的是 {name!r}，但 C 库使用的是 {used}：libc 从不读取 "
            "/etc/timezone（读它的是 Debian 的 dpkg-reconfigure tzdata、某些 Java 构建"
            "和 Python 的 tzlocal）"
        ),
        # where the zone came from (resolve.py)
        "default (UTC)": "默认（UTC）",
        "/etc/localtime -> {target} (symlink)": "/etc/localtime -> {target}（符号链接）",
        "/etc/localtime (a copy)": "/etc/localtime（副本）",
        "TZ is empty: glibc reads the zone file {path}": "TZ 为空：glibc 读取时区文件 {path}",
        "TZ is empty (POSIX string 'Universal')": "TZ 为空（POSIX 字符串 'Universal'）",
        "TZ={tz} (zone file {path})": "TZ={tz}（时区文件 {path}）",
        "TZ={tz} (POSIX string)": "TZ={tz}（POSIX 字符串）",
        "TZ is empty: UTC": "TZ 为空：UTC",
        # the CLI's tz doctor (cli/tz.py)
        "{libc}: zone {zone} from {source}: {abbreviation} UTC{offset} at {at}": (
            "{libc}：时区 {zone}，来自 {source}：{at} 时为 {abbreviation} UTC{offset}"
        ),
        "(unnamed)": "（无名称）",
        "warning: {warning}": "警告：{warning}",
        # what the ports of glibc and musl note (libcsim.py)
        "the footer has no closing newline: glibc read it as {tzspec!r} (the file size "
        "minus the data, less one byte)": (
            "尾部 footer 没有结尾的换行符：glibc 把它读作 {tzspec!r}（文件大小减去数据部分，"
            "再少一个字节）"
        ),
        "the footer does not start with a newline: glibc ignores it": (
            "尾部 footer 不以换行符开头：glibc 忽略它"
        ),
        "no rule in TZ: glibc took the transitions from {tzdir}/{rules} (TZDEFRULES), "
        "shifted to the given offsets; after its last transition its own footer {tzspec!r} "
        "applies, names and offsets included": (
            "TZ 中没有规则：glibc 从 {tzdir}/{rules}（TZDEFRULES）取来转换时刻，"
            "并平移到给定的偏移；在它的最后一次转换之后，适用的是它自己的尾部 footer "
            "{tzspec!r}，名称和偏移都以它为准"
        ),
        "the footer names a DST zone without rules: glibc loads posixrules in the middle of "
        "localtime and keeps it, so the answer after the last transition depends on earlier "
        "calls in the same process (this is the first call's)": (
            "尾部 footer 指定了一个没有规则的夏令时时区：glibc 在 localtime 执行中途加载 "
            "posixrules 并保留下来，所以最后一次转换之后的结果取决于同一进程中更早的调用"
            "（这里是第一次调用的结果）"
        ),
        "a rule 'M' with no month number: glibc's compute_change reads __mon_yday[-1], "
        "memory before its month table, so when DST starts or ends is unpredictable": (
            "规则 'M' 没有月份数字：glibc 的 compute_change 会读取 __mon_yday[-1]，"
            "即它月份表之前的内存，所以夏令时何时开始、何时结束无法预测"
        ),
        "TZ is empty: glibc reads the file 'Universal' (tzset.c)": (
            "TZ 为空：glibc 读取文件 'Universal'（tzset.c）"
        ),
        "musl reads outside the mapped file ({exc}): the process is killed by SIGSEGV, or "
        "reads whatever memory lies there (only the size >= 44 and the magic are checked "
        "before the counts are trusted)": (
            "musl 读到了映射文件之外（{exc}）：进程被 SIGSEGV 杀死，或者读到那里碰巧有的内存"
            "（在信任各项计数之前，只检查了大小 >= 44 和魔数）"
        ),
        "a version-1 file (version byte NUL): musl takes any byte but '1' as version 2+ "
        "and reads a second header past the v1 data": (
            "版本 1 的文件（版本字节为 NUL）：musl 把 '1' 以外的任何字节都当作版本 2+，"
            "于是越过 v1 数据去读第二个文件头"
        ),
        "the footer is empty: after the last transition musl has no zone, so UTC with an "
        "empty name": "尾部 footer 为空：最后一次转换之后 musl 没有时区，于是是名称为空的 UTC",
        "the file does not end with a newline: musl has no footer rules, so after the last "
        "transition it uses the first standard and DST types with day-0 rules": (
            "文件不以换行符结尾：musl 没有尾部 footer 规则，所以最后一次转换之后，它使用"
            "第一个标准时间类型和第一个夏令时类型，规则为第 0 天"
        ),
        "TZ={tz!r}: musl takes a standard-time name of {n} letters (POSIX asks for at least "
        "3; glibc refuses it and uses UTC with an empty name)": (
            "TZ={tz!r}：musl 接受只有 {n} 个字母的标准时间名称（POSIX 要求至少 3 个；"
            "glibc 拒绝它，使用名称为空的 UTC）"
        ),
        "musl read past the end of the file (only its size >= 44 and the magic are "
        "checked): the values are zeros from the rest of the mapped page": (
            "musl 读过了文件末尾（只检查了大小 >= 44 和魔数）：这些值是映射页其余部分的零"
        ),
        # the RTC (rtc.py) and the notebook's tables (chapter.py, cases.py)
        "The RTC keeps local time: at boot hwclock converts it with the zone of /etc/localtime, "
        "so a wrong zone there shifts the system clock itself.": (
            "RTC 保存的是本地时间：开机时 hwclock 按 /etc/localtime 的时区换算它，"
            "所以那里的时区一旦错了，系统时钟本身就会偏移。"
        ),
        "The RTC keeps UTC: at boot it is copied to the system clock as is; the zone only "
        "changes how times are displayed.": (
            "RTC 保存的是 UTC：开机时它被原样复制到系统时钟；时区只影响时间如何显示。"
        ),
        "no RTC device in /sys/class/rtc on this machine": (
            "这台机器的 /sys/class/rtc 中没有 RTC 设备"
        ),
        "adjtimex: {state}, flags {flags}; synchronised: {synchronised}": (
            "adjtimex：{state}，标志 {flags}；已同步：{synchronised}"
        ),
        "the true local time": "真实的本地时间",
        "Windows shut down last (RTC in local time)": "最后关机的是 Windows（RTC 为本地时间）",
        "Linux synced by NTP and wrote the RTC (UTC)": "Linux 经 NTP 同步并写回了 RTC（UTC）",
        "RTC holds": "RTC 中的值",
        "Linux shows": "Linux 显示",
        "Windows shows": "Windows 显示",
        "server offset (s)": "服务器偏差 (s)",
        "client measured (s)": "客户端测得 (s)",
        "chronyd would": "chronyd 的做法",
        "slewing it takes": "渐调所需时间",
        "slew": "渐调",
        "step": "跳变",
        "{abbr} {offset}h DST": "{abbr} {offset}h 夏令时",
        "image without tzdata, TZ=Asia/Shanghai": "镜像中没有 tzdata，TZ=Asia/Shanghai",
        "TZ names a zone that does not exist": "TZ 指定了一个不存在的时区",
        "/etc/localtime copied, not linked (Asia/Tokyo); /etc/timezone says Shanghai": (
            "/etc/localtime 是复制的而不是链接（Asia/Tokyo）；/etc/timezone 写的是 Shanghai"
        ),
        "host's /etc/localtime bind-mounted (a file inside the container)": (
            "绑定挂载宿主机的 /etc/localtime（在容器内是一个普通文件）"
        ),
        "the fix: a symlink, and tzdata in the image": "修复：使用符号链接，并在镜像中安装 tzdata",
        "TZ=CST6CDT: a zone file for glibc, a rule-less POSIX string for musl": (
            "TZ=CST6CDT：对 glibc 是时区文件，对 musl 是没有规则的 POSIX 字符串"
        ),
        "TZDIR pointing elsewhere: glibc follows it, musl ignores it": (
            "TZDIR 指向别处：glibc 照它查找，musl 忽略它"
        ),
        "(not run)": "（未运行）",
        "case": "情形",
        "doctor predicts": "诊断器预测",
        "libc prints": "libc 实际打印",
        "zone name": "时区名",
        "warnings": "警告",
        "source": "来源",
        "state in January 2024": "2024 年一月的状态",
    }
)
