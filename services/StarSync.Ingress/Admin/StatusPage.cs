using System.Security.Cryptography;
using System.Text;

namespace StarSync.Ingress.Admin;

/// <summary>
/// <c>GET /</c>: one static HTML page, no external assets, no framework. It holds no data, so it needs no token:
/// it asks for the admin token (kept in sessionStorage only) and reads everything from the admin API with it.
/// The Content-Security-Policy allows exactly this page's own script and style (by hash) and calls to this origin.
/// </summary>
internal static class StatusPage
{
    public const string Route = "/";

    private const string Style = """

        :root { font-family: system-ui, sans-serif; color-scheme: light dark; }
        body { margin: 0 auto; max-width: 80rem; padding: 1rem; }
        header { display: flex; align-items: baseline; gap: 1rem; }
        header h1 { margin: 0 auto 0 0; font-size: 1.4rem; }
        form, .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin: 1rem 0; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { border-bottom: 1px solid #8884; padding: .35rem .5rem; text-align: left; vertical-align: top; }
        td.error { color: #c33; max-width: 28rem; overflow-wrap: anywhere; }
        td[data-state="Failed"] { color: #c33; font-weight: 600; }
        td[data-state="Completed"] { color: #393; }
        #message { min-height: 1.2em; }
        .hint { flex-basis: 100%; margin: 0; font-size: .85rem; opacity: .7; }

        """;

    private const string Script = """

        'use strict';
        (() => {
          const key = 'starsync.adminToken';
          const pageSize = 50;
          let offset = 0;
          const $ = id => document.getElementById(id);
          const say = text => { $('message').textContent = text; };
          const token = () => sessionStorage.getItem(key);
          const when = value => value ? new Date(value).toLocaleString() : '\u2014';

          function showLogin(text) {
            sessionStorage.removeItem(key);
            $('mirrors').hidden = true;
            $('signout').hidden = true;
            $('rows').replaceChildren();
            $('summary').textContent = '';
            $('login').hidden = false;
            say(text || '');
            $('token').focus();
          }

          function showMirrors() {
            $('login').hidden = true;
            $('mirrors').hidden = false;
            $('signout').hidden = false;
            load();
          }

          // background: a request the page makes by itself (loading the table), which the server does not trace.
          async function call(method, path, background) {
            const headers = { Authorization: 'Bearer ' + token(), Accept: 'application/json' };
            if (background) {
              headers['StarSync-Background'] = 'true';
            }
            const response = await fetch(path, { method, cache: 'no-store', credentials: 'omit', headers });
            if (response.status === 401) {
              showLogin('The token was not accepted.');
              return null;
            }
            const type = response.headers.get('content-type') || '';
            const body = type.includes('json') ? await response.json() : null;
            if (!response.ok) {
              throw new Error((body && (body.detail || body.title)) || ('HTTP ' + response.status));
            }
            return body || {};
          }

          function cell(row, text, className) {
            const td = row.insertCell();
            td.textContent = text == null ? '' : String(text);
            if (className) td.className = className;
            return td;
          }

          function render(list) {
            const rows = $('rows');
            rows.replaceChildren();
            for (const mirror of list.mirrors) {
              const row = rows.insertRow();
              cell(row, mirror.fullName);
              cell(row, mirror.state).dataset.state = mirror.state;
              cell(row, mirror.status);
              cell(row, when(mirror.lastSyncedAt));
              cell(row, when(mirror.nextSyncAt));
              cell(row, mirror.lastError, 'error');
              const label = mirror.state === 'Failed' ? 'Retry' : 'Sync';
              const button = document.createElement('button');
              button.type = 'button';
              button.textContent = label;
              button.addEventListener('click', () => act(button, 'POST',
                '/admin/mirrors/' + encodeURIComponent(mirror.gitHubId) + '/sync', label + ' of ' + mirror.fullName + ' requested.'));
              row.insertCell().append(button);
            }
            const last = offset + list.mirrors.length;
            $('summary').textContent = list.total + (list.total === 1 ? ' mirror' : ' mirrors');
            $('page').textContent = list.mirrors.length ? (offset + 1) + '\u2013' + last + ' of ' + list.total : 'none';
            $('prev').disabled = offset === 0;
            $('next').disabled = last >= list.total;
          }

          async function load() {
            const query = new URLSearchParams({ offset: String(offset), limit: String(pageSize) });
            if ($('state').value) query.set('state', $('state').value);
            try {
              const list = await call('GET', '/admin/mirrors?' + query, true);
              if (list) {
                render(list);
                say('Updated ' + new Date().toLocaleTimeString() + '.');
              }
            } catch (error) {
              say('Could not load the mirrors: ' + error.message);
            }
          }

          async function act(button, method, path, done) {
            button.disabled = true;
            try {
              if (await call(method, path)) {
                say(done);
                await load();
              }
            } catch (error) {
              say('Not accepted: ' + error.message);
            } finally {
              button.disabled = false;
            }
          }

          $('login').addEventListener('submit', event => {
            event.preventDefault();
            const value = $('token').value.trim();
            $('token').value = '';
            if (!value) return;
            sessionStorage.setItem(key, value);
            offset = 0;
            showMirrors();
          });
          $('signout').addEventListener('click', () => showLogin(''));
          $('refresh').addEventListener('click', load);
          $('state').addEventListener('change', () => { offset = 0; load(); });
          $('prev').addEventListener('click', () => { offset = Math.max(0, offset - pageSize); load(); });
          $('next').addEventListener('click', () => { offset += pageSize; load(); });
          $('retry-failed').addEventListener('click', event =>
            act(event.currentTarget, 'POST', '/admin/mirrors/retry-failed', 'Retry of all failed mirrors requested.'));

          if (token()) showMirrors(); else showLogin('');
        })();

        """;

    private static readonly string Html = $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>StarSync</title>
        <style>{{Style}}</style>
        </head>
        <body>
        <header>
          <h1>StarSync mirrors</h1>
          <span id="summary"></span>
          <button id="signout" type="button" hidden>Forget token</button>
        </header>
        <main>
          <form id="login" hidden>
            <label for="token">Admin token</label>
            <input id="token" type="password" autocomplete="off" spellcheck="false" required>
            <button type="submit">Show mirrors</button>
            <p class="hint">The token is kept in this browser tab only (sessionStorage) and sent to this server's admin API.</p>
          </form>
          <section id="mirrors" hidden>
            <div class="toolbar">
              <label>State
                <select id="state">
                  <option value="">all</option>
                  <option>Pending</option>
                  <option>ProjectCreated</option>
                  <option>Mirroring</option>
                  <option>Completed</option>
                  <option>Failed</option>
                </select>
              </label>
              <button id="refresh" type="button">Refresh</button>
              <button id="retry-failed" type="button">Retry all failed</button>
              <button id="prev" type="button">Previous</button>
              <span id="page"></span>
              <button id="next" type="button">Next</button>
            </div>
            <table>
              <thead>
                <tr><th>Repository</th><th>State</th><th>Status</th><th>Last synced</th><th>Next sync</th><th>Last error</th><th></th></tr>
              </thead>
              <tbody id="rows"></tbody>
            </table>
          </section>
          <p id="message" role="status"></p>
        </main>
        <script>{{Script}}</script>
        </body>
        </html>

        """;

    private static readonly byte[] HtmlBytes = Encoding.UTF8.GetBytes(Html);

    /// <summary>Allows this page's inline script and style by hash, calls to this origin, and nothing else.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; script-src '{HashSource(Script)}'; style-src '{HashSource(Style)}'; connect-src 'self'; " +
        "img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static Task Serve(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = HtmlBytes.Length;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        return response.Body.WriteAsync(HtmlBytes, http.RequestAborted).AsTask();
    }

    private static string HashSource(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));
}
