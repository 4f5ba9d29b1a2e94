namespace Ferry.Functions.Web;

/// <summary>The status page's inline stylesheet, script and logo; inline so the page needs no CDN or static files.</summary>
internal static class StatusPageAssets
{
    public const string Logo = """<svg class="logo" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#0b5fa5"/><path d="M7 18h18l-2.6 5.2H9.6z" fill="#fff"/><path d="M11 17v-4.5h7.5l2.5 4.5z" fill="#9fd3ff"/><path d="M14.5 12.5V8.5h2.5v4" fill="#fff"/><path d="M5 25.5c2 0 2-1.2 4-1.2s2 1.2 4 1.2 2-1.2 4-1.2 2 1.2 4 1.2 2-1.2 4-1.2 2 1.2 2 1.2" fill="none" stroke="#9fd3ff" stroke-width="1.4" stroke-linecap="round"/></svg>""";

    public const string Css = """
        :root {
          --bg: #f3f5f8; --surface: #ffffff; --surface-2: #f7f9fb; --text: #1d2733; --muted: #66768a;
          --border: #dde3ea; --shadow: 0 1px 2px rgba(16,30,54,.06), 0 2px 8px rgba(16,30,54,.06);
          --green: #18be94; --green-ink: #0b7a5e; --amber: #f4c030; --amber-ink: #8a6200;
          --blue: #0dadea; --blue-ink: #0a6f98; --red: #e96d76; --red-ink: #b8323d;
          --purple: #766f94; --purple-ink: #5b5478; --grey: #8fa4b1; --grey-ink: #5c6b77;
          --link: #0b5fa5; --code-bg: #f0f3f7;
          --add-bg: #e6f7ef; --add-ink: #116149; --del-bg: #fdecee; --del-ink: #a12a35; --hunk-ink: #0a6f98;
          --radius: 10px; --gap: 16px;
          --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
          --mono: ui-monospace, "SFMono-Regular", "Cascadia Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0f141a; --surface: #171e26; --surface-2: #1c2430; --text: #e3e9ef; --muted: #93a3b3;
            --border: #2a3440; --shadow: 0 1px 2px rgba(0,0,0,.4);
            --green-ink: #43d6ad; --amber-ink: #f4c95a; --blue-ink: #5cc8f2; --red-ink: #f08a92;
            --purple-ink: #aea6d1; --grey-ink: #a9b7c2; --link: #6cb6ff; --code-bg: #222c38;
            --add-bg: #12302a; --add-ink: #7ee2bd; --del-bg: #3a1d22; --del-ink: #f5a3aa; --hunk-ink: #5cc8f2;
          }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 var(--font); }
        a { color: var(--link); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, .mono, pre { font-family: var(--mono); font-size: 13px; }
        .muted { color: var(--muted); }
        .icon { width: 15px; height: 15px; flex: none; vertical-align: -2px; }
        .icon-spin { animation: spin 1.2s linear infinite; }
        @keyframes spin { to { transform: rotate(360deg); } }
        @media (prefers-reduced-motion: reduce) { .icon-spin { animation: none; } }

        .top { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 28px; padding: 14px 28px;
               background: var(--surface); border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 1; }
        .brand { display: flex; align-items: center; gap: 10px; }
        .logo { width: 30px; height: 30px; }
        .brand-name { font-weight: 700; font-size: 19px; letter-spacing: .2px; }
        .brand-sub { color: var(--muted); font-size: 13px; padding-left: 10px; border-left: 1px solid var(--border); }
        .totals { display: flex; flex-wrap: wrap; gap: 8px; }
        .total { padding: 3px 10px; border-radius: 999px; background: var(--surface-2); border: 1px solid var(--border); font-size: 13px; color: var(--muted); }
        .total b { color: var(--text); font-weight: 650; margin-right: 2px; }
        .total.tone-green b { color: var(--green-ink); } .total.tone-amber b { color: var(--amber-ink); } .total.tone-red b { color: var(--red-ink); }
        .updated { margin-left: auto; color: var(--muted); font-size: 13px; }

        .apps { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: var(--gap);
                padding: 24px 28px; max-width: 1500px; margin: 0 auto; align-items: start; }
        .tile { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
                box-shadow: var(--shadow); padding: 16px 18px 12px; border-top: 4px solid var(--tone, var(--grey)); min-width: 0; }
        .tile:has(details[open]) { grid-column: 1 / -1; }
        .tile:target { outline: 2px solid var(--link); outline-offset: 2px; }
        .tile-head { display: flex; align-items: center; gap: 10px; justify-content: space-between; }
        .app-name { margin: 0; font-size: 17px; font-weight: 650; overflow-wrap: anywhere; }
        .app-name a { color: inherit; }
        .pill { display: inline-block; font-size: 11.5px; padding: 1px 8px; border-radius: 999px; background: var(--surface-2);
                border: 1px solid var(--border); color: var(--muted); white-space: nowrap; font-weight: 500; }
        .pill-sim { color: var(--purple-ink); border-color: color-mix(in srgb, var(--purple) 45%, transparent);
                    background: color-mix(in srgb, var(--purple) 10%, transparent); }

        .tone-green { --tone: var(--green); --ink: var(--green-ink); }
        .tone-amber { --tone: var(--amber); --ink: var(--amber-ink); }
        .tone-blue { --tone: var(--blue); --ink: var(--blue-ink); }
        .tone-red { --tone: var(--red); --ink: var(--red-ink); }
        .tone-purple { --tone: var(--purple); --ink: var(--purple-ink); }
        .tone-grey { --tone: var(--grey); --ink: var(--grey-ink); }

        .chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 12px; }
        .chip { display: inline-flex; align-items: center; gap: 6px; padding: 3px 11px 3px 8px; border-radius: 999px;
                font-size: 13.5px; font-weight: 600; color: var(--ink); background: color-mix(in srgb, var(--tone) 14%, transparent);
                border: 1px solid color-mix(in srgb, var(--tone) 40%, transparent); }
        .chip .icon, .state .icon, .op .icon { color: var(--tone); }

        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0 0 10px; font-size: 13.5px; }
        .facts > div { display: contents; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
        .rev { background: var(--code-bg); padding: 1px 6px; border-radius: 5px; }
        .abs { color: var(--muted); font-size: 12px; margin-left: 4px; }
        .src { font-family: var(--mono); font-size: 12px; }

        .op { display: flex; gap: 8px; align-items: flex-start; margin: 8px 0; padding: 8px 10px; border-radius: 8px; font-size: 13.5px;
              background: color-mix(in srgb, var(--tone) 9%, transparent); border-left: 3px solid var(--tone); }
        .op .icon { margin-top: 2px; }
        .op b { color: var(--ink); }
        .note { margin: 6px 0; font-size: 13px; color: var(--ink); }
        .catalog { margin: 12px 24px 0; padding: 10px 14px; border-radius: var(--radius); font-size: 13px; }
        .catalog h2 { margin: 0 0 6px; font-size: 15px; }
        .catalog ul { margin: 6px 0 0; padding-left: 18px; }
        .catalog-errors { background: var(--del-bg); color: var(--del-ink); }
        .catalog-warnings { background: var(--surface); border: 1px solid var(--border); }
        .condition { margin: 6px 0; padding: 6px 10px; border-radius: 8px; font-size: 13px; background: var(--del-bg); color: var(--del-ink); }

        .more { margin-top: 8px; border-top: 1px solid var(--border); padding-top: 8px; }
        .more > summary { cursor: pointer; font-weight: 600; font-size: 13.5px; padding: 4px 0; list-style: none; user-select: none; }
        .more > summary::-webkit-details-marker { display: none; }
        .more > summary::before { content: ""; display: inline-block; width: 6px; height: 6px; margin: 0 9px 2px 2px;
                                  border-right: 2px solid var(--muted); border-bottom: 2px solid var(--muted);
                                  transform: rotate(-45deg); transition: transform .15s; }
        .more[open] > summary::before { transform: rotate(45deg); margin-bottom: 4px; }
        .more > summary:hover::before { border-color: var(--text); }
        .more > summary .muted { font-weight: 400; }
        .block { margin: 12px 0 4px; }
        .block h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .7px; color: var(--muted); margin: 0 0 8px; font-weight: 650; }
        .table-wrap { overflow-x: auto; border: 1px solid var(--border); border-radius: 8px; }
        table.resources { width: 100%; border-collapse: collapse; font-size: 13px; }
        .resources th { text-align: left; font-weight: 600; color: var(--muted); background: var(--surface-2); padding: 7px 10px; border-bottom: 1px solid var(--border); white-space: nowrap; }
        .resources td { padding: 7px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
        .resources tr:last-child td { border-bottom: 0; }
        .kind { font-weight: 600; }
        .state { display: inline-flex; align-items: center; gap: 5px; color: var(--ink); white-space: nowrap; }
        .action { font-size: 12px; padding: 1px 7px; border-radius: 5px; background: var(--surface-2); border: 1px solid var(--border); white-space: nowrap; }
        .action-created, .action-configured { color: var(--green-ink); }
        .action-pruned, .action-failed { color: var(--red-ink); }
        .action-outofsync, .action-pruneskipped { color: var(--amber-ink); }
        .msg { color: var(--muted); overflow-wrap: anywhere; }

        pre.diff { margin: 0; padding: 10px 0; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px;
                   overflow-x: auto; line-height: 1.45; max-height: 420px; }
        .diff span { display: block; padding: 0 12px; white-space: pre; }
        .d-add { background: var(--add-bg); color: var(--add-ink); }
        .d-del { background: var(--del-bg); color: var(--del-ink); }
        .d-hunk { color: var(--hunk-ink); }
        .d-file { color: var(--muted); font-weight: 600; }

        .stages { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
        .stages li { font-size: 12.5px; border: 1px solid var(--border); border-radius: 6px; padding: 2px 8px; background: var(--surface-2); }
        .stages li span { color: var(--muted); margin-right: 6px; }
        .history { list-style: none; margin: 0; padding: 0; font-size: 13px; }
        .history li { display: flex; align-items: center; gap: 10px; padding: 4px 0; border-bottom: 1px dashed var(--border); }
        .history li:last-child { border-bottom: 0; }
        .hid { color: var(--muted); min-width: 2.5em; }

        .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 10px; max-width: 1500px; margin: 14px auto 0; padding: 0 28px; font-size: 13.5px; }
        .toolbar input, .toolbar select { font: inherit; color: var(--text); background: var(--surface); border: 1px solid var(--border); border-radius: 7px; padding: 5px 9px; }
        .toolbar #search { min-width: 220px; }
        .toolbar .token { margin-left: auto; display: inline-flex; align-items: center; gap: 6px; color: var(--muted); }
        .actions-off { margin-left: auto; }
        .tile.filtered { display: none; }
        .not-found h2 { color: var(--red-ink); }
        .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 4px 0 8px; }
        .btn { font: inherit; font-size: 13px; font-weight: 600; color: var(--link); background: var(--surface); border: 1px solid var(--border);
               border-radius: 7px; padding: 4px 12px; cursor: pointer; }
        .btn:hover:not(:disabled) { border-color: var(--link); }
        .btn:disabled { color: var(--muted); cursor: not-allowed; }
        .btn-small { font-size: 12px; padding: 1px 8px; margin-left: auto; }
        .action-result { font-size: 13px; color: var(--muted); }
        .action-result.ok { color: var(--green-ink); }
        .action-result.err { color: var(--red-ink); }
        .tree ul { list-style: none; margin: 0; padding-left: 22px; border-left: 1px dashed var(--border); }
        .tree > ul { padding-left: 0; border-left: 0; }
        .tree li { margin: 4px 0; }
        .node { display: inline-flex; align-items: center; gap: 7px; font: inherit; font-size: 13px; text-align: left; color: var(--text); cursor: pointer;
                background: var(--surface-2); border: 1px solid var(--border); border-left: 4px solid var(--tone, var(--grey)); border-radius: 7px; padding: 3px 10px; }
        .node:hover, .node.selected { border-color: var(--link); border-left-color: var(--tone, var(--grey)); box-shadow: 0 0 0 1px var(--link); }
        .node .nk { font-weight: 650; }
        .node .nh { color: var(--ink); font-size: 12px; }
        .node .ns { font-size: 11.5px; padding: 0 6px; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); }
        .node .ns.OutOfSync { color: var(--amber-ink); border-color: var(--amber); }
        .node .nm { color: var(--muted); font-size: 12px; max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .panel:empty { display: none; }
        .panel { margin-top: 10px; border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; background: var(--surface); }
        .panel h4 { margin: 0 0 6px; font-size: 14px; }
        .panel h5 { margin: 10px 0 6px; font-size: 12px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
        .panel pre.live { margin: 0; padding: 10px 12px; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; overflow: auto; max-height: 360px; }
        .commit-msg { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; flex: 1 1 auto; }
        .commit-author { white-space: nowrap; }
        .history a { display: inline-flex; }
        .empty { grid-column: 1 / -1; text-align: center; padding: 64px 24px; background: var(--surface); border: 1px dashed var(--border); border-radius: var(--radius); }
        .empty h2 { margin: 0 0 8px; font-size: 20px; }
        .empty p { margin: 0 auto; max-width: 560px; color: var(--muted); }

        .foot { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px; max-width: 1500px; margin: 0 auto; padding: 4px 28px 28px; color: var(--muted); font-size: 12.5px; }
        .foot.offline #refresh-state { color: var(--red-ink); }
        @media (max-width: 640px) {
          .top { padding: 12px 16px; } .apps { padding: 16px; grid-template-columns: 1fr; } .foot { padding: 4px 16px 20px; }
          .updated { margin-left: 0; } .brand-sub { display: none; }
        }
        """;

    // Re-renders on the server every 5 s and swaps the app grid in, keeping open details, what the page loaded into them (trees, the
    // selected resource, action results) and the scroll position; filters the tiles; loads resource trees and resources from the API;
    // runs actions (POST with X-Requested-With, and the API token when serve asks for one). Text from the API is set with textContent.
    public const string Script = """
        (function () {
          var busy = false;
          function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
          var tones = { Healthy: "green", Progressing: "blue", Degraded: "red", Suspended: "purple", Missing: "grey", Unknown: "grey" };
          function tokenHeaders() {
            var h = { "X-Requested-With": "ferry-page" };
            var input = document.getElementById("api-token");
            if (input) { var t = input.value || sessionStorage.getItem("ferry-api-token") || ""; if (t) { h["Authorization"] = "Bearer " + t; sessionStorage.setItem("ferry-api-token", t); } }
            return h;
          }
          function applyFilters() {
            var q = (document.getElementById("search").value || "").trim().toLowerCase();
            var sync = document.getElementById("filter-sync").value, health = document.getElementById("filter-health").value;
            var tiles = document.querySelectorAll("article.tile"), shown = 0;
            Array.prototype.forEach.call(tiles, function (t) {
              var ok = (!q || t.dataset.app.toLowerCase().indexOf(q) >= 0) && (!sync || t.dataset.sync === sync) && (!health || t.dataset.health === health);
              t.classList.toggle("filtered", !ok);
              if (ok) shown++;
            });
            document.getElementById("filter-count").textContent = (q || sync || health) ? shown + " of " + tiles.length + " apps" : "";
          }
          function nodeButton(app, n) {
            var b = el("button", "node tone-" + (tones[n.health && n.health.status] || "grey"));
            b.type = "button";
            b.dataset.app = app; b.dataset.group = n.group; b.dataset.version = n.version; b.dataset.kind = n.kind;
            b.dataset.namespace = n.namespace; b.dataset.name = n.name; b.dataset.testid = "node";
            b.appendChild(el("span", "nk", n.kind));
            b.appendChild(el("span", null, n.name));
            if (n.health) b.appendChild(el("span", "nh", n.health.status));
            if (n.status) b.appendChild(el("span", "ns " + n.status, n.status));
            if (n.health && n.health.message) { var m = el("span", "nm", n.health.message); m.title = n.health.message; b.appendChild(m); }
            return b;
          }
          function treeList(app, nodes) {
            var ul = el("ul");
            nodes.forEach(function (n) {
              var li = el("li");
              li.appendChild(nodeButton(app, n));
              if (n.children && n.children.length) li.appendChild(treeList(app, n.children));
              ul.appendChild(li);
            });
            return ul;
          }
          function loadTree(app) {
            var box = document.getElementById("tree-" + app);
            if (!box || box.dataset.loading) return;
            box.dataset.loading = "1";
            fetch("/api/apps/" + encodeURIComponent(app) + "/tree", { cache: "no-store", credentials: "same-origin" })
              .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message || r.status); return j; }); })
              .then(function (tree) {
                var target = document.getElementById("tree-" + app) || box;
                target.textContent = "";
                if (!tree.nodes.length) target.appendChild(el("p", "muted", "No objects recorded for this app yet."));
                else target.appendChild(treeList(app, tree.nodes));
                var sel = target.closest("article").querySelector(".panel[data-selected]");
                if (sel) { var b = target.querySelector('.node[data-kind="' + sel.dataset.kind + '"][data-name="' + sel.dataset.name + '"]'); if (b) b.classList.add("selected"); }
                target.dataset.loaded = "1";
              })
              .catch(function (e) { var target = document.getElementById("tree-" + app) || box; target.textContent = ""; target.appendChild(el("p", "condition", "Cannot read the tree: " + e.message)); })
              .finally(function () { delete box.dataset.loading; var t = document.getElementById("tree-" + app); if (t) delete t.dataset.loading; });
          }
          function diffPre(text) {
            var pre = el("pre", "diff"); pre.dataset.testid = "resource-diff";
            text.replace(/\n$/, "").split("\n").forEach(function (line) {
              var c = /^(\+\+\+|---)/.test(line) ? "d-file" : line[0] === "+" ? "d-add" : line[0] === "-" ? "d-del" : line[0] === "@" ? "d-hunk" : "d-ctx";
              pre.appendChild(el("span", c, line));
            });
            return pre;
          }
          function showResource(b) {
            var app = b.dataset.app, panel = document.getElementById("panel-" + app);
            document.querySelectorAll("#tree-" + CSS.escape(app) + " .node.selected").forEach(function (n) { n.classList.remove("selected"); });
            b.classList.add("selected");
            panel.dataset.selected = "1"; panel.dataset.kind = b.dataset.kind; panel.dataset.name = b.dataset.name;
            panel.textContent = "";
            panel.appendChild(el("p", "muted", "Reading " + b.dataset.kind + " " + b.dataset.name + "…"));
            var q = ["group", "version", "kind", "namespace", "name"].map(function (k) { return k + "=" + encodeURIComponent(b.dataset[k] || ""); }).join("&");
            fetch("/api/apps/" + encodeURIComponent(app) + "/resource?" + q, { cache: "no-store", credentials: "same-origin" })
              .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message || r.status); return j; }); })
              .then(function (res) {
                panel.textContent = "";
                panel.appendChild(el("h4", null, res.kind + " " + (res.namespace ? res.namespace + "/" : "") + res.name));
                var facts = [res.health ? "health " + res.health.status + (res.health.message ? ": " + res.health.message : "") : null, res.status ? "sync " + res.status : "not managed by the app (created by its owner)"];
                panel.appendChild(el("p", "muted", facts.filter(Boolean).join(" · ")));
                if (res.managed) {
                  panel.appendChild(el("h5", null, "Diff (live → Git) at the last comparison"));
                  if (res.diff) panel.appendChild(diffPre(res.diff));
                  else panel.appendChild(el("p", "muted", "No differences: the live object matches Git."));
                }
                panel.appendChild(el("h5", null, "Live manifest"));
                var live = el("pre", "live", res.liveState ? JSON.stringify(res.liveState, null, 2) : "The object does not exist in the cluster.");
                live.dataset.testid = "live-manifest";
                panel.appendChild(live);
              })
              .catch(function (e) { panel.textContent = ""; panel.appendChild(el("p", "condition", "Cannot read the resource: " + e.message)); });
          }
          function act(b) {
            var app = b.dataset.app, action = b.dataset.action, out = document.getElementById("action-" + app);
            var opts = { method: "POST", headers: tokenHeaders(), credentials: "same-origin" };
            if (action === "rollback") { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify({ id: Number(b.dataset.id) }); }
            b.disabled = true;
            fetch("/api/apps/" + encodeURIComponent(app) + "/" + action, opts)
              .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message || r.status); return j; }); })
              .then(function (j) {
                if (out) { out.className = "action-result ok"; out.textContent = action[0].toUpperCase() + action.slice(1) + " queued (job " + j.job.deliveryId + ")"; }
                refresh();
              })
              .catch(function (e) { if (out) { out.className = "action-result err"; out.textContent = action + " refused: " + e.message; } })
              .finally(function () { b.disabled = false; });
          }
          function openTrees() { document.querySelectorAll("details.more[open] .tree[data-tree]").forEach(function (t) { loadTree(t.dataset.tree); }); }
          function refresh() {
            if (busy || document.hidden) return;
            busy = true;
            fetch(location.pathname + location.search, { headers: { "Accept": "text/html" }, cache: "no-store" })
              .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
              .then(function (text) {
                var next = new DOMParser().parseFromString(text, "text/html");
                var open = Array.prototype.map.call(document.querySelectorAll("details[open]"), function (d) { return d.id; });
                var closed = Array.prototype.map.call(document.querySelectorAll("details:not([open])"), function (d) { return d.id; });
                var kept = {};
                document.querySelectorAll("[data-keep]").forEach(function (k) { if (k.id && k.childNodes.length) kept[k.id] = { nodes: Array.prototype.slice.call(k.childNodes), data: Object.assign({}, k.dataset), cls: k.className }; });
                ["apps", "top", "catalog"].forEach(function (id) {
                  var now = document.getElementById(id), fresh = next.getElementById(id);
                  if (now && fresh) now.innerHTML = fresh.innerHTML;
                });
                Object.keys(kept).forEach(function (id) {
                  var k = document.getElementById(id); if (!k) return;
                  k.textContent = ""; kept[id].nodes.forEach(function (n) { k.appendChild(n); });
                  Object.keys(kept[id].data).forEach(function (d) { if (d !== "loading") k.dataset[d] = kept[id].data[d]; });
                  k.className = kept[id].cls;
                });
                open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
                closed.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = false; });
                applyFilters();
                openTrees();
                document.querySelector(".foot").classList.remove("offline");
                document.getElementById("refresh-state").textContent = "Refreshes every 5 s";
              })
              .catch(function () {
                document.querySelector(".foot").classList.add("offline");
                document.getElementById("refresh-state").textContent = "Cannot reach Ferry — retrying";
              })
              .finally(function () { busy = false; });
          }
          document.addEventListener("click", function (e) {
            var node = e.target.closest && e.target.closest("button.node");
            if (node) { showResource(node); return; }
            var action = e.target.closest && e.target.closest("button[data-action]");
            if (action) act(action);
          });
          document.addEventListener("toggle", function (e) { if (e.target.matches && e.target.matches("details.more") && e.target.open) { var t = e.target.querySelector(".tree[data-tree]"); if (t) loadTree(t.dataset.tree); } }, true);
          ["search", "filter-sync", "filter-health"].forEach(function (id) { document.getElementById(id).addEventListener("input", applyFilters); });
          var token = document.getElementById("api-token");
          if (token) token.value = sessionStorage.getItem("ferry-api-token") || "";
          applyFilters();
          openTrees();
          setInterval(refresh, 5000);
        })();
        """;
}
