/* "Try it on your own input": the package's own CLI, run in the reader's browser by Pyodide.
 *
 * One way in: infranotes.run(argv, files) writes `files` (name -> text or Uint8Array) into
 * Pyodide's file system, runs infranotes.cli.main(argv) there and resolves to
 * {exit_code, stdout, stderr}. The panels (<div class="infranotes-tryit" data-panel=...>) are
 * thin forms over it: they build argv with --json and render the JSON (a verb whose answer is
 * one sentence runs without --json and is shown as printed). Nothing of Pyodide is
 * fetched until a panel is opened; everything comes from this site's _static/tryit/.
 *
 * Opened from file://, Chromium lets the page load scripts but not fetch() files, so there
 * every file is read from its data script (_static/tryit/data/<path>.js, written by
 * _ext/infranotes_tryit.py), and while loadPyodide runs, fetch() of the three files
 * Pyodide's loader asks for answers from those bytes (see fileAssets).
 */
(function () {
  "use strict";
  const BASE = new URL(".", document.currentScript.src).href; // .../_static/tryit/
  let ready = null; // the promise of {py, pyRun}, made when the first panel opens
  let runs = 0;

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error("cannot load " + src));
      document.head.appendChild(s);
    });
  }

  async function fetchBytes(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return new Uint8Array(await r.arrayBuffer());
  }

  /* ---- pages opened from file:// ------------------------------------------------------ */
  const FROM_FILE = new URL(BASE).protocol === "file:";
  const DATA = "__infranotesTryitData"; // _ext/infranotes_tryit.py DATA_GLOBAL

  function decode(b64) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  /* The bytes of _static/tryit/<rel>: its data script, loaded by a <script> tag, decoded
   * (and inflated when the build gzipped it). */
  async function dataBytes(rel) {
    await loadScript(BASE + "data/" + rel + ".js");
    const store = window[DATA] || {};
    const entry = store[rel];
    if (!entry || typeof entry.b64 !== "string") throw new Error("data/" + rel + ".js did not define " + rel);
    delete store[rel]; // the base64 text is no longer needed
    const bytes = decode(entry.b64);
    if (!entry.gzip) return bytes;
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(inflated).arrayBuffer());
  }

  /* The files Pyodide's loader fetches (pyodide.js 0.28.3: browser_getBinaryResponse for the
   * .wasm, which goes to WebAssembly.instantiateStreaming, and python_stdlib.zip;
   * loadLockFile for the lock file), from their data scripts. install() makes fetch() answer
   * exactly those URLs from memory, everything else goes to the real fetch; it returns the
   * function that puts the real fetch back. */
  function fileAssets() {
    const types = { "pyodide.asm.wasm": "application/wasm", "pyodide-lock.json": "application/json", "python_stdlib.zip": "application/zip" };
    const names = Object.keys(types);
    const loaded = Promise.all(names.map((n) => dataBytes("pyodide/" + n)));
    return {
      loaded,
      install: async () => {
        const bytes = await loaded;
        const answers = new Map(names.map((n, i) => [BASE + "pyodide/" + n, [bytes[i], types[n]]]));
        const real = window.fetch;
        window.fetch = function (input, init) {
          const url = new URL(input instanceof Request ? input.url : String(input), location.href).href;
          const hit = answers.get(url);
          if (!hit) return real.call(this, input, init);
          answers.delete(url); // each is asked for once
          return Promise.resolve(new Response(hit[0], { status: 200, headers: { "Content-Type": hit[1] } }));
        };
        return () => { window.fetch = real; };
      },
    };
  }

  /* ---- the page's language ---------------------------------------------------------
   * The Chinese edition (<html lang="zh-CN">) gets the panels' words from ZH, keyed by the
   * English text; tr fills in a template's {name}s (values the caller has escaped). Data
   * stays as the CLI prints it: names, commands, states, the JSON. English pages: unchanged. */
  const LANG = document.documentElement.lang.toLowerCase().startsWith("zh") ? "zh" : "en";
  const ZH = {
    "Try it on your own input": "用你自己的输入试试",
    Run: "运行",
    "Python loads when this panel opens.": "打开此面板时才加载 Python。",
    "loading Python (Pyodide)": "正在加载 Python（Pyodide）",
    "installing {names}": "正在安装 {names}",
    "starting infranotes": "正在启动 infranotes",
    "ready in {s} s": "已就绪，用时 {s}\u00a0秒",
    " ({mb} MB)": "（{mb}\u00a0MB）",
    "could not load Python: {why}": "无法加载 Python：{why}",
    " (opened from a file, Python comes from _static/tryit/data/: is it there? Or serve the folder, e.g. python3 -m http.server)":
      "（从文件打开时，Python 来自 _static/tryit/data/：它在吗？也可以用 HTTP 提供这个文件夹，例如 python3 -m http.server）",
    "could not run: {why}": "无法运行：{why}",
    "exit status {code}": "退出状态 {code}",
    "{term}: {text}": "{term}：{text}",
    // dns-search
    "name looked up": "要查询的名字",
    "ndots:{ndots}; tried in this order until one answers:": "ndots:{ndots}；按以下顺序尝试，直到有一个得到应答：",
    "warning: {w}": "警告：{w}",
    // cron
    "from (ISO 8601)": "起始时间（ISO 8601）",
    "how many": "个数",
    "CronJob YAML (optional: the controller's decision)": "CronJob YAML（可选：控制器的决定）",
    "controller time (ISO 8601)": "控制器的当前时间（ISO 8601）",
    "next runs": "接下来的运行时间",
    "the controller": "控制器",
    "event: {e}": "事件：{e}",
    // tz
    "TZ (a POSIX TZ string)": "TZ（POSIX TZ 字符串）",
    "or a TZif file (e.g. /etc/localtime)": "或一个 TZif 文件（例如 /etc/localtime）",
    "at (ISO 8601)": "时刻（ISO 8601）",
    "the TZif file": "TZif 文件",
    "TZif v{version}, {n} transitions, footer {footer}; around {at}:": "TZif v{version}，{n} 次转换，尾部 {footer}；{at} 前后：",
    "{utc} → {abbr} UTC{offset} h{dst}": "{utc} → {abbr} UTC{offset}{dst}",
    " DST": " 夏令时",
    "{abbr} (UTC{offset} h) from {source}": "{abbr}（UTC{offset}），来自 {source}",
    // iptables
    packet: "数据包",
    trace: "追踪",
    "branch {i}: p={p} {fate} → {dest}": "分支 {i}：p={p} {fate} → {dest}",
    policy: "默认策略",
    // ceph
    "ceph -s -f json (or health detail -f json)": "ceph -s -f json（或 health detail -f json）",
    explain: "解释",
    "(no health in this document)": "（该文档中没有健康状态）",
    // reliability
    "one backend slow, probability": "单个后端变慢的概率",
    "backends per request": "每个请求的后端数",
    availability: "可用性",
    "disk MTTF, years": "磁盘 MTTF（年）",
    disks: "磁盘数",
    tail: "尾延迟",
    nines: "可用性“九”的个数",
    fleet: "机群",
  };
  const tr = (en, vars) => (LANG === "zh" && Object.hasOwn(ZH, en) ? ZH[en] : en).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
  // The verbs that take --lang get it from here: adding it to a panel is one langArgs() in its jobs.
  const langArgs = () => (LANG === "zh" ? ["--lang", "zh"] : []);

  /* Pyodide, the wheels (unpacked into site-packages: no micropip, no index) and runner.py. */
  function load(progress) {
    if (ready) return ready;
    ready = (async () => {
      const step = progress || (() => {});
      step(1, tr("loading Python (Pyodide)"));
      // The wheels and the runner download while Pyodide starts.
      const bytesOf = FROM_FILE ? dataBytes : (rel) => fetchBytes(BASE + rel);
      const text = (rel) => bytesOf(rel).then((b) => new TextDecoder().decode(b));
      const extras = text("manifest.json").then(JSON.parse).then((manifest) =>
        Promise.all([manifest, text("runner.py"), ...manifest.wheels.map((w) => bytesOf("wheels/" + w.name))]));
      extras.catch(() => {}); // reported when awaited below
      const assets = FROM_FILE ? fileAssets() : null;
      if (assets) assets.loaded.catch(() => {}); // reported by install() below
      await loadScript(BASE + "pyodide/pyodide.js");
      // From a file, pyodide.asm.js by a <script> tag too: loadPyodide would import() it,
      // which Chromium refuses for file:// modules; it skips that when the module is there.
      if (assets) await loadScript(BASE + "pyodide/pyodide.asm.js");
      const restore = assets ? await assets.install() : null;
      let py;
      try {
        py = await window.loadPyodide({ indexURL: BASE + "pyodide/", fullStdLib: false });
      } finally {
        if (restore) restore();
      }
      const [manifest, runner, ...wheels] = await extras;
      const site = py.runPython("import site; site.getsitepackages()[0]");
      step(2, tr("installing {names}", { names: manifest.wheels.map((w) => w.name.split("-")[0]).join(", ") }));
      wheels.forEach((data) => py.unpackArchive(data, "wheel", { extractDir: site }));
      step(3, tr("starting infranotes"));
      py.runPython(runner);
      return { py, pyRun: py.globals.get("run"), manifest };
    })();
    ready.catch(() => { ready = null; });
    return ready;
  }

  function checkName(name) {
    const parts = name.split("/");
    if (!name || name.startsWith("/") || parts.some((p) => p === "" || p === "." || p === ".."))
      throw new Error("files: " + JSON.stringify(name) + " is not a relative file name");
    return parts;
  }

  /* The one entry point: argv as the CLI takes it, files written into a fresh directory. */
  async function run(argv, files) {
    const { py, pyRun } = await load();
    const dir = "/tryit/" + ++runs;
    py.FS.mkdirTree(dir);
    for (const [name, data] of Object.entries(files || {})) {
      const parts = checkName(name);
      if (parts.length > 1) py.FS.mkdirTree(dir + "/" + parts.slice(0, -1).join("/"));
      py.FS.writeFile(dir + "/" + name, data);
    }
    const args = py.toPy(argv.map(String));
    try {
      return JSON.parse(pyRun(args, dir));
    } finally {
      args.destroy();
    }
  }

  window.infranotes = Object.assign(window.infranotes || {}, { run, load, base: BASE });

  /* ---- the panels ------------------------------------------------------------------- */
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const J = ["--json"];
  // The two transitions before `at` and the two after (all of them when `at` is not a time).
  const around = (ts, at) => { const i = isNaN(at) ? 0 : ts.findIndex((t) => t.at > at); const k = i < 0 ? ts.length : i; return isNaN(at) ? ts.slice(0, 4) : ts.slice(Math.max(0, k - 2), k + 2); };
  const list = (xs) => "<ol>" + xs.map((x) => "<li><code>" + esc(x) + "</code></li>").join("") + "</ol>";

  // Each panel: fields [name, label, default, kind], then jobs(values) -> [[title, argv, files]]
  // and show(doc, values) -> HTML for a successful result (the full JSON is shown beneath it).
  const PANELS = {
    "dns-search": {
      fields: [
        ["conf", "resolv.conf", "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", "area"],
        ["name", "name looked up", "api.example.com"],
      ],
      jobs: (v) => ["glibc", "musl"].map((libc) => [libc, ["dns", "search", "--resolv-conf", "resolv.conf", "--libc", libc, v.name, ...langArgs(), ...J], { "resolv.conf": v.conf }]),
      show: (d) => `<p>${tr("ndots:{ndots}; tried in this order until one answers:", { ndots: d.ndots })}</p>` + list(d.candidates) + d.warnings.map((w) => `<p class="tryit-warn">${tr("warning: {w}", { w: esc(w) })}</p>`).join(""),
    },
    cron: {
      fields: [
        ["spec", "spec.schedule", "0 0 13 * 5"],
        ["tz", "spec.timeZone", "Europe/Berlin"],
        ["from", "from (ISO 8601)", "2026-01-01T00:00:00Z"],
        ["n", "how many", "5"],
        ["cronjob", "CronJob YAML (optional: the controller's decision)", "", "area"],
        ["now", "controller time (ISO 8601)", "2026-01-02T00:00:00Z"],
      ],
      jobs: (v) => [["next runs", ["cron", "next", v.spec, "--tz", v.tz, "--from", v.from, "-n", v.n, ...J], {}]].concat(
        v.cronjob.trim() ? [["the controller", ["cron", "explain", "--cronjob", "cronjob.yaml", "--now", v.now, ...langArgs(), ...J], { "cronjob.yaml": v.cronjob }]] : []),
      show: (d) => (Array.isArray(d) ? list(d) : `<p>${tr("{term}: {text}", { term: `<b>${esc(d.action)}</b>`, text: esc(d.reason || "") })}</p>` + (d.events || []).map((e) => `<p>${tr("event: {e}", { e: esc(e) })}</p>`).join("")),
    },
    tz: {
      fields: [
        ["tz", "TZ (a POSIX TZ string)", "CET-1CEST,M3.5.0,M10.5.0/3"],
        ["file", "or a TZif file (e.g. /etc/localtime)", "", "file"],
        ["at", "at (ISO 8601)", "2026-07-01T12:00:00Z"],
      ],
      jobs: (v) => {
        const files = v.file ? { "etc/localtime": v.file } : {};
        const env = v.file ? [] : ["--env", "TZ=" + v.tz];
        return (v.file ? [["the TZif file", ["tz", "inspect", "etc/localtime", ...J], files]] : []).concat(
          ["glibc", "musl"].map((libc) => [libc, ["tz", "doctor", "--root", ".", ...env, "--libc", libc, "--at", v.at, ...langArgs(), ...J], files]));
      },
      show: (d, v) => (d.transitions
        ? `<p>${tr("TZif v{version}, {n} transitions, footer {footer}; around {at}:", { version: d.version, n: d.transitions.length, footer: `<code>${esc(d.footer)}</code>`, at: esc(v.at) })}</p>` +
          around(d.transitions, Date.parse(v.at) / 1000).map((t) => `<pre>${tr("{utc} → {abbr} UTC{offset} h{dst}", { utc: esc(t.utc), abbr: esc(t.abbr), offset: (t.utoff >= 0 ? "+" : "-") + Math.abs(t.utoff) / 3600, dst: t.isdst ? tr(" DST") : "" })}</pre>`).join("")
        : `<p>${tr("{abbr} (UTC{offset} h) from {source}", { abbr: esc(d.abbreviation), offset: (d.utc_offset_seconds >= 0 ? "+" : "-") + esc(Math.abs(d.utc_offset_seconds) / 3600), source: esc(d.source) })}</p>` + (d.warnings || []).map((w) => `<p class="tryit-warn">${esc(w)}</p>`).join("")),
    },
    iptables: {
      fields: [
        ["rules", "iptables-save", "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n", "area"],
        ["packet", "packet", "tcp 10.244.0.5:40000 > 10.244.0.9:80 iif cni0"],
      ],
      jobs: (v) => [["trace", ["iptables", "trace", "--rules", "rules.txt", "--packet", v.packet, ...langArgs(), ...J], { "rules.txt": v.rules }]],
      show: (d) => (d.branches || []).map((b, i) => `<p>${tr("branch {i}: p={p} {fate} → {dest}", { i: i + 1, p: esc(b.probability), fate: `<b>${esc(b.fate)}</b>`, dest: esc(b.destination) })}</p>` + list(b.steps.map((s) => `${s.hook} ${s.table} ${s.chain} ${s.rule ? "#" + s.rule : tr("policy")} ${s.verdict}${s.target ? " " + s.target : ""}`))).join(""),
    },
    ceph: {
      fields: [["json", "ceph -s -f json (or health detail -f json)", "", "area"]],
      jobs: (v) => [["explain", ["ceph", "explain", "ceph.json", ...langArgs(), ...J], { "ceph.json": v.json }]],
      // English pages show both languages, as the CLI's English text does; Chinese pages only Chinese.
      show: (d) => `<p>${esc(d.health || tr("(no health in this document)"))}</p>` + (d.explanations || []).map((e) => `<p>${tr("{term}: {text}", { term: `<b>${esc(e.state)}</b>`, text: LANG === "zh" ? esc(e.meaning_zh) : `${esc(e.meaning_en)}<br>${esc(e.meaning_zh)}` })}</p>`).join(""),
    },
    reliability: {
      fields: [
        ["p", "one backend slow, probability", "0.01"],
        ["fanout", "backends per request", "100"],
        ["a", "availability", "0.999"],
        ["mttf", "disk MTTF, years", "30"],
        ["count", "disks", "10000"],
      ],
      jobs: (v) => [
        // Each verb's answer is one sentence: the panel shows it as the CLI prints it (no --json).
        ["tail", ["reliability", "tail", "--p-slow", v.p, "--fanout", v.fanout, ...langArgs()], {}],
        ["nines", ["reliability", "nines", "--availability", v.a, ...langArgs()], {}],
        ["fleet", ["reliability", "fleet", "--mttf-years", v.mttf, "--count", v.count, ...langArgs()], {}],
      ],
    },
  };

  function build(el) {
    const spec = PANELS[el.dataset.panel];
    if (!spec) return;
    const id = "tryit-" + el.dataset.panel;
    const fields = spec.fields.map(([name, label, value, kind]) => {
      const init = el.dataset[name] !== undefined ? el.dataset[name] : value;
      const input = kind === "area" ? `<textarea name="${name}" rows="6" spellcheck="false">${esc(init)}</textarea>`
        : kind === "file" ? `<input type="file" name="${name}">` : `<input name="${name}" value="${esc(init)}" spellcheck="false">`;
      return `<label>${esc(tr(label))}${input}</label>`;
    }).join("");
    el.innerHTML = `<details><summary>${tr("Try it on your own input")}</summary><form id="${id}">${fields}
      <button type="submit" disabled>${tr("Run")}</button> <progress max="3" value="0"></progress> <span class="tryit-status" aria-live="polite">${tr("Python loads when this panel opens.")}</span>
      </form><div class="tryit-out"></div></details>`;
    const [details, form] = [el.querySelector("details"), el.querySelector("form")];
    const [bar, status, out, button] = [form.querySelector("progress"), form.querySelector(".tryit-status"), el.querySelector(".tryit-out"), form.querySelector("button")];
    details.addEventListener("toggle", () => {
      if (!details.open || el.dataset.state) return;
      el.dataset.state = "loading";
      const t0 = performance.now();
      load((n, what) => { bar.value = n - 1; status.textContent = what + "…"; })
        .then(() => {
          const ms = performance.now() - t0;
          const bytes = performance.getEntriesByType("resource").filter((e) => e.name.startsWith(BASE)).reduce((a, e) => a + (e.encodedBodySize || 0), 0);
          bar.value = 3;
          status.textContent = tr("ready in {s} s", { s: (ms / 1000).toFixed(1) }) + (bytes ? tr(" ({mb} MB)", { mb: (bytes / 1048576).toFixed(1) }) : "");
          el.dataset.state = "ready";
          el.dataset.loadMs = Math.round(ms);
          button.disabled = false;
        })
        .catch((e) => {
          el.dataset.state = "";
          status.textContent = tr("could not load Python: {why}", { why: e.message }) + (location.protocol === "file:"
            ? tr(" (opened from a file, Python comes from _static/tryit/data/: is it there? Or serve the folder, e.g. python3 -m http.server)") : "");
        });
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const v = {};
      for (const [name, , , kind] of spec.fields) {
        const input = form.elements[name];
        v[name] = kind === "file" ? (input.files[0] ? new Uint8Array(await input.files[0].arrayBuffer()) : null) : input.value;
      }
      const results = [];
      try {
        for (const [title, argv, files] of spec.jobs(v)) results.push({ title, argv, files: Object.keys(files), result: await run(argv, files) });
      } catch (e) { // not the CLI's answer (that is never an exception): the page could not run it
        out.innerHTML = `<p class="tryit-error">${tr("could not run: {why}", { why: esc(e.message) })}</p>`;
        return;
      }
      el.tryitLast = results;
      out.innerHTML = results.map(({ title, argv, result }) => {
        let body;
        const warn = result.stderr ? `<p class="tryit-warn">${esc(result.stderr.trim())}</p>` : "";
        if (!result.stdout) body = `<p class="tryit-error">${esc(result.stderr.trim() || tr("exit status {code}", { code: result.exit_code }))}</p>`;
        else if (!argv.includes("--json")) body = `<p>${esc(result.stdout.trim())}</p>` + warn; // a verb's one-line text answer
        else {
          const doc = JSON.parse(result.stdout);
          body = spec.show(doc, v) + warn +
            `<details><summary>JSON</summary><pre>${esc(result.stdout)}</pre></details>`;
        }
        return `<section><h4>${esc(tr(title))} <code>infranotes ${esc(argv.join(" "))}</code> → ${result.exit_code}</h4>${body}</section>`;
      }).join("");
      el.dataset.runs = (Number(el.dataset.runs) || 0) + 1;
    });
  }

  document.querySelectorAll(".infranotes-tryit").forEach(build);
})();
