"""Chinese for what the CNI chapter prints (see :mod:`infranotes.i18n`).

The plugins' own error messages are data (the reference prints the same words) and are
not translated; nor are observation keys like ``add-a``, configuration keys, commands.
"""

from infranotes.i18n import Messages

tr = Messages(
    {
        # A plugin run, host-local's store, the leak.
        "exit {rc}": "退出码 {rc}",
        "exit": "退出码",
        "file": "文件",
        "mode": "权限",
        "content": "内容",
        "address or error": "地址或错误",
        "step": "步骤",
        "result": "结果",
        "GC (valid: sandbox5)": "GC（仅 sandbox5 有效）",
        "released the others": "释放了其余地址",
        "sandbox6 again": "sandbox6 再次 ADD",
        # The bridge plugin's plan: where each command runs, and why.
        "where": "执行位置",
        "command": "命令",
        "why (bridge.go cmdAdd)": "原因（bridge.go cmdAdd）",
        "host": "主机",
        "container": "容器",
        "run IPAM with the same config": "用同一份配置运行 IPAM",
        "ensureBridge: create the bridge unless it exists": "ensureBridge：网桥不存在时创建它",
        "ensureBridge: no router advertisements; the plugin owns this interface's routes": (
            "ensureBridge：不接受路由通告；这个接口的路由由插件管理"
        ),
        "ensureBridge: bring it up": "ensureBridge：启用网桥",
        "setupVeth: the veth pair, host end named veth<8 hex>": (
            "setupVeth：创建 veth 对，主机端命名为 veth<8 hex>"
        ),
        "setupVeth: move the other end into the container's netns": (
            "setupVeth：把另一端移入容器的 netns"
        ),
        "setupVeth: rename it {ifname} (CNI_IFNAME)": "setupVeth：改名为 {ifname}（CNI_IFNAME）",
        "setupVeth: attach the host end to the bridge": "setupVeth：把主机端接到网桥上",
        "setupVeth: bring the host end up": "setupVeth：启用主机端",
        "enabledad: DAD probes carry a nonce (RFC 7527)": (
            "enabledad：DAD 探测带上 nonce（RFC 7527）"
        ),
        "enabledad: run duplicate address detection": "enabledad：运行重复地址检测",
        "no IPv6 DAD: hairpin would echo its probes back": (
            "关闭 IPv6 DAD：hairpin 会把它的探测报文回送给它"
        ),
        "gratuitous ARP when the link comes up": "链路启用时发送免费 ARP",
        "ConfigureIface: the address IPAM chose": "ConfigureIface：IPAM 选定的地址",
        "ConfigureIface: up only now, with its addresses: with arp_notify the kernel "
        "announces them in a gratuitous ARP as the link comes up": (
            "ConfigureIface：地址都配好之后才启用：有了 arp_notify，"
            "内核会在链路启用时用免费 ARP 通告这些地址"
        ),
        "SettleAddresses: with an IPv6 gateway, wait (50 ms polls, 10 s at most) until no "
        "address is tentative, i.e. DAD, if on, has finished": (
            "SettleAddresses：有 IPv6 网关时，等待（每 50 ms 轮询一次，最多 10 s）"
            "直到没有地址处于暂定状态，即 DAD（如果开启）已经结束"
        ),
        "ConfigureIface: a route from the IPAM result": "ConfigureIface：IPAM 结果中的一条路由",
        "isGateway: the gateway address on the bridge": "isGateway：网桥上的网关地址",
        "ensureAddr: pin the bridge's MAC (the one read after ensureBridge), else it follows "
        "the lowest port MAC as Pods come and go": (
            "ensureAddr：固定网桥的 MAC（ensureBridge 之后读到的那个），"
            "否则随着 Pod 来来去去，它会跟着变成各端口中最小的 MAC"
        ),
        "enableIPForward: route between the bridge and the host": (
            "enableIPForward：让网桥与主机之间可以路由"
        ),
        "SetupIPMasq: the per-Pod chain": "SetupIPMasq：每个 Pod 自己的链",
        "SetupIPMasq: traffic to the Pod network stays unchanged": (
            "SetupIPMasq：发往 Pod 网络的流量保持原样"
        ),
        "SetupIPMasq: everything else is masqueraded": "SetupIPMasq：其余流量都做地址伪装",
        "SetupIPMasq: the Pod's packets enter its chain": "SetupIPMasq：Pod 的包进入它自己的链",
        # Our plugins against the reference, observation by observation.
        "observation": "观察项",
        "ours vs reference": "我们的实现与参考实现",
        "ours": "我们的实现",
        "same": "相同",
        "DIFFERENT": "不同",
        "value": "值",
        "store after DEL: {files}": "DEL 之后的存储内容：{files}",
        # The kernel details: DAD, the gratuitous ARP, the bridge's MAC.
        "plain": "普通配置",
        "l2 bridge": "二层网桥",
        "addresses still tentative after ADD": "ADD 之后仍处于暂定状态的地址",
        "result MACs are the live ones": "结果里的 MAC 就是实际的 MAC",
        "bridge MAC kept / became the veth's / set explicitly": (
            "网桥 MAC 保持原值 / 变成 veth 的 / 被显式设置"
        ),
        "gratuitous ARPs": "免费 ARP",
        "hairpin on the port": "端口开启 hairpin",
        "enhanced DAD": "增强 DAD",
        "the new address after DAD": "DAD 结束后新地址的状态",
        "gratuitous ARPs seen (sender IP, target MAC)": "看到的免费 ARP（发送方 IP，目标 MAC）",
        "{ip}, target {mac}": "{ip}，目标 {mac}",
        "none": "无",
        # kubenet's Pod.
        "routes": "路由",
        "ping gateway": "ping 网关",
        "nat rules": "nat 规则",
        "links after teardown": "拆除后剩下的链路",
        "store after teardown": "拆除后的存储内容",
    }
)
