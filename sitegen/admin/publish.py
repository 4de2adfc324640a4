"""/admin/ on the published site: written by `sitegen build` only when site.yaml's `editor:` asks for it,
saving through the Git host named there; its own Content-Security-Policy, allowing that host's API and
nothing else beyond the editor's own files, and the paths of the site's pages, which keep the site's
policy (the host adds up every `_headers` rule matching a path, so /admin/ must match none of them).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitegen.admin.config import Backend, editor_config
from sitegen.admin.page import ADMIN_URL, PAGE, bundle_files, config_yaml, content_security_policy
from sitegen.core.artifact import Artifact
from sitegen.models.config import Editor, SiteConfig

# the Git hosts' APIs and sign-in addresses, when site.yaml names none of its own
API = {"github": "https://api.github.com", "gitlab": "https://gitlab.com", "gitea": "https://try.gitea.io"}
SIGN_IN = {
    "github": "https://api.netlify.com",
    "gitlab": "https://gitlab.com",
    "gitea": "https://try.gitea.io",
}
AVATARS = {"github": ("https://avatars.githubusercontent.com",), "gitlab": ("https://secure.gravatar.com",)}
FOLDER = ADMIN_URL.strip("/")


def backend(editor: Editor) -> Backend:
    """The editor's `backend:` for the Git host of site.yaml's `editor:`."""
    return Backend(
        name=editor.backend,
        repo=str(editor.repo),
        branch=editor.branch,
        base_url=str(editor.base_url or ""),
        api_root=str(editor.api_root or ""),
        site_folder=editor.site_folder,
        auth_endpoint=editor.auth_endpoint,
        app_id=editor.app_id,
        identity_url=str(editor.identity_url or ""),
        gateway_url=str(editor.gateway_url or ""),
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def connect_origins(editor: Editor) -> tuple[str, ...]:
    """The origins the editor talks to: the Git host's API and the sign-in service (git-gateway on
    Netlify answers on the site's own origin)."""
    found = [
        str(editor.api_root or API.get(editor.backend, "")),
        str(editor.base_url or SIGN_IN.get(editor.backend, "")),
    ]
    if editor.backend == "git-gateway":  # Netlify's answers on /.netlify/..., 'self', unless named
        found = [str(u or "") for u in (editor.identity_url, editor.gateway_url)]
    return tuple(sorted({_origin(u) for u in found if u}))


def policy(editor: Editor | None) -> str:
    """/admin/'s Content-Security-Policy on the published site."""
    if editor is None:
        return content_security_policy()
    return content_security_policy(connect_origins(editor), AVATARS.get(editor.backend, ()))


def published_files(config: SiteConfig) -> list[Artifact]:
    """public/admin/: the page, its configuration (the Git backend of `editor:`), the editor's bundle and
    licences; nothing when site.yaml has no `editor:`."""
    if config.editor is None:
        return []
    sources = (config.src_path or "content/site.yaml",)
    settings = editor_config(backend(config.editor), config.base_url.rstrip("/"), config.languages)
    files = [
        Artifact(f"{FOLDER}/index.html", PAGE.encode("utf-8"), sources=sources),
        Artifact(f"{FOLDER}/config.yml", config_yaml(settings), sources=sources),
    ]
    files += [Artifact(f"{FOLDER}/{name}", data, sources=sources) for name, data in bundle_files().items()]
    return files


def taken(page_urls: list[str], static_files: list[str] | tuple[str, ...]) -> list[str]:
    """The site's own pages and static files under /admin/, which the published editor would replace."""
    return sorted({u for u in [*page_urls, *static_files] if u.strip("/").partition("/")[0] == FOLDER})


def site_policy_paths(page_urls: list[str], static_files: list[str] | tuple[str, ...]) -> list[str]:
    """The `_headers` paths that give every page of the site its policy without matching /admin/: the
    home page, then each first folder (or top file) of the pages and of content/static/'s files."""
    tops, files = set(), set()
    for url in [*page_urls, *static_files]:
        first, _, rest = url.strip("/").partition("/")
        if not first or first == FOLDER:
            continue
        if rest or url.endswith("/"):
            tops.add(f"/{first}/*")
        else:
            files.add(f"/{first}")
    return ["/", *sorted(tops), *sorted(files - {t[:-2] for t in tops})]
