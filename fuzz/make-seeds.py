# Builds the fuzz targets' seed corpus from the repository's own articles and from
# the inputs issue 12 names. Run from the repository root.
import glob, hashlib, json, os
root = "fuzz/corpus"
def put(target, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    open(os.path.join(d, name), "wb").write(data)

articles = sorted(glob.glob("examples/newsroom/20*.md")) + sorted(glob.glob("tests/cli/newsdesk/*/*.md")) \
    + sorted(glob.glob("tests/lsp/workspace/*/*.md")) + sorted(glob.glob("tests/eval/*/*.md"))[::6]
texts = [open(p, "rb").read() for p in articles]
odd = [
    "« ".encode() * 50, "“ ".encode() * 50, b'" ' * 50,
    ("« a “ b ‹ c „ d « e » » » » »" ).encode(),
    ("Le convoi aurait franchi la frontière, " * 30).encode(),
    "---\rlang: fr\r---\r# Titre\r\rLe convoi aurait franchi la frontière mardi.\r« Nous partirons », a dit le maire.\r".encode(),
    "Le convoi aurait\0 franchi la frontière\x1b[31m mardi.\n".encode(),
    "Il aurait fui.[^1] [selon l’AFP](https://afp.com) [^ [^ [^\n\n[^1]: Note.\n".encode(),
    "> « Nous avons tout perdu ici. »\r\n> — Anna K., habitante\r\n".encode(),
    "<!-- copydesk-disable-next-line attribution/hearsay -- ok -->\nLe convoi aurait franchi.\n".encode(),
    "😀 e\u0301 \u00a0\u202f « \u202fOTSC\u202f » L’OTSC et la CSTO.".encode(),
]
for i, t in enumerate(texts + odd):
    put("analysis", bytes([i % 3]) + t)
for t in texts[:6] + odd:
    ops = bytes(range(0, 200, 7)) + bytes([3, 0, 5, 0, 3, 0, 9, 0, 1, 0] * 4)
    put("positions", t[:3000] + b"\0" + ops)

def frame(body):
    b = body if isinstance(body, bytes) else json.dumps(body).encode()
    return b"Content-Length: %d\r\n\r\n" % len(b) + b
init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
sym = {"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "OTSC"}}
open_ = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///w/a.md", "languageId": "markdown", "version": 1, "text": "Le convoi aurait franchi la frontière.\r"}}}
session = frame(init) + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}) + frame(open_) + frame(sym)
put("transport", session)
for bad in [b'{"jsonrpc":"2.0","id":2,"id":3,"method":"shutdown"}', b'{"jsonrpc":"2.0","id":2,"\\u0069d":3,"method":"shutdown"}',
            b'{"jsonrpc":"2.0","method":"x","params":{},"params":{}}', b'{"jsonrpc":"2.0","id":61,"method":"$/unknown"}',
            b'{"jsonrpc":"2.0","id":62,"method":"x","result":1}', b'{"jsonrpc":"2.0","id":63,"error":{"code":"bad"}}',
            b'{not json', b'', b'[1,2]', b'\xff\xfe']:
    put("transport", frame(bad) + frame(sym))
body = json.dumps(sym).encode()
for head in [b"Content-Length: 10\r\n\r\n", b"Content-Length: -5\r\n\r\n", b"Content-Length: abc\r\n\r\n",
             b"Content-Type: x\r\n\r\n", b"Content-Length: 999999999999\r\n\r\n", b"Content-Length: 300\r\n\r\n", b"garbage\n\n"]:
    put("transport", head + body + frame(sym))
