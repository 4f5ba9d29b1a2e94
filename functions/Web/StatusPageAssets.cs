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

    // Re-renders on the server every 5 s and swaps the app grid in, keeping open details and the scroll position.
    public const string Script = """
        (function () {
          var busy = false;
          function refresh() {
            if (busy || document.hidden) return;
            busy = true;
            fetch(location.pathname + location.search, { headers: { "Accept": "text/html" }, cache: "no-store" })
              .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
              .then(function (text) {
                var next = new DOMParser().parseFromString(text, "text/html");
                var open = Array.prototype.map.call(document.querySelectorAll("details[open]"), function (d) { return d.id; });
                var closed = Array.prototype.map.call(document.querySelectorAll("details:not([open])"), function (d) { return d.id; });
                ["apps", "top", "catalog"].forEach(function (id) {
                  var now = document.getElementById(id), fresh = next.getElementById(id);
                  if (now && fresh) now.innerHTML = fresh.innerHTML;
                });
                open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
                closed.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = false; });
                document.querySelector(".foot").classList.remove("offline");
                document.getElementById("refresh-state").textContent = "Refreshes every 5 s";
              })
              .catch(function () {
                document.querySelector(".foot").classList.add("offline");
                document.getElementById("refresh-state").textContent = "Cannot reach Ferry — retrying";
              })
              .finally(function () { busy = false; });
          }
          setInterval(refresh, 5000);
        })();
        """;
}
