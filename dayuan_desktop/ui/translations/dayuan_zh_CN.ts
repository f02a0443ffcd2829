<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArticleListPanel</name>
    <message>
        <source>Search titles, text, tags, captions…</source>
        <translation>搜索标题、正文、标签、图片说明…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>New article</source>
        <translation>新建文章</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制为新稿</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <source>Restore from trash</source>
        <translation>从回收站恢复</translation>
    </message>
    <message>
        <source>Export selected…</source>
        <translation>导出所选…</translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>找到 %n 篇</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n article(s)</source>
        <translation>
            <numerusform>共 %n 篇</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>ArticleTableModel</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>栏目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
</context>
<context>
    <name>BodyEditor</name>
    <message>
        <source>The body can only be edited as Markdown: %1</source>
        <translation>正文只能以 Markdown 编辑：%1</translation>
    </message>
    <message>
        <source>The Markdown cannot be shown formatted: %1</source>
        <translation>无法以排版形式显示该 Markdown：%1</translation>
    </message>
    <message>
        <source>Paragraph</source>
        <translation>正文段落</translation>
    </message>
    <message>
        <source>Subheading</source>
        <translation>小标题</translation>
    </message>
    <message>
        <source>Minor subheading</source>
        <translation>三级标题</translation>
    </message>
    <message>
        <source>Bold</source>
        <translation>加粗</translation>
    </message>
    <message>
        <source>Italic</source>
        <translation>斜体</translation>
    </message>
    <message>
        <source>Bulleted list</source>
        <translation>项目符号列表</translation>
    </message>
    <message>
        <source>Numbered list</source>
        <translation>编号列表</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>引用</translation>
    </message>
    <message>
        <source>Link…</source>
        <translation>链接…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Markdown source</source>
        <translation>Markdown 源码</translation>
    </message>
    <message>
        <source>Body paragraph (Ctrl+0)</source>
        <translation>正文段落（Ctrl+0）</translation>
    </message>
    <message>
        <source>Subheading (Ctrl+2)</source>
        <translation>小标题（Ctrl+2）</translation>
    </message>
    <message>
        <source>Minor subheading (Ctrl+3)</source>
        <translation>三级标题（Ctrl+3）</translation>
    </message>
    <message>
        <source>Bold (Ctrl+B)</source>
        <translation>加粗（Ctrl+B）</translation>
    </message>
    <message>
        <source>Italic (Ctrl+I)</source>
        <translation>斜体（Ctrl+I）</translation>
    </message>
    <message>
        <source>Bulleted list (Ctrl+Shift+8)</source>
        <translation>项目符号列表（Ctrl+Shift+8）</translation>
    </message>
    <message>
        <source>Numbered list (Ctrl+Shift+7)</source>
        <translation>编号列表（Ctrl+Shift+7）</translation>
    </message>
    <message>
        <source>Quote (Ctrl+Shift+9)</source>
        <translation>引用（Ctrl+Shift+9）</translation>
    </message>
    <message>
        <source>Link (Ctrl+K)</source>
        <translation>链接（Ctrl+K）</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>撤销（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>重做（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <source>Show the Markdown source (Ctrl+Shift+M)</source>
        <translation>显示 Markdown 源码（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <source>Links to “%1:” addresses are not allowed: use an http, https or mailto address.</source>
        <translation>不允许链接到“%1:”地址：请使用 http、https 或 mailto 地址。</translation>
    </message>
    <message>
        <source>A web address cannot contain spaces or line breaks.</source>
        <translation>网址不能包含空格或换行。</translation>
    </message>
    <message>
        <source>This web address has no site name after “//”.</source>
        <translation>此网址在“//”之后没有网站名称。</translation>
    </message>
    <message>
        <source>Images from the web were left out (%1): the editor does not download them. Save them and add them as photos.</source>
        <translation>来自网络的图片未粘贴（%1）：编辑器不会下载网络图片。请先保存，再作为图片添加。</translation>
    </message>
    <message>
        <source>Images that could not be read as photos were left out (%1).</source>
        <translation>无法作为图片读取的图像未粘贴（%1）。</translation>
    </message>
</context>
<context>
    <name>ChannelTreeModel</name>
    <message>
        <source>Channels</source>
        <translation>栏目</translation>
    </message>
    <message>
        <source>All articles</source>
        <translation>全部文章</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Someone else saved this article</source>
        <translation>别人已保存了这篇文章</translation>
    </message>
    <message>
        <source>%1 saved this article at %2, after you opened it. Nothing is lost: choose which version to keep, or keep both.</source>
        <translation>%1 在您打开之后于 %2 保存了这篇文章。两个版本都不会丢失：请选择保留哪一个，或两个都保留。</translation>
    </message>
    <message>
        <source>In the database</source>
        <translation>数据库中的版本</translation>
    </message>
    <message>
        <source>Yours (unsaved)</source>
        <translation>您的版本（未保存）</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>保留对方的</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>两个都保留</translation>
    </message>
</context>
<context>
    <name>FindReplaceBar</name>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Replace all</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Replaced %1</source>
        <translation>已替换 %1 处</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
    <message>
        <source>%1 (wrapped around)</source>
        <translation>%1（已从头开始）</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 个匹配</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>Web address (leave empty to remove the link):</source>
        <translation>网址（留空则删除链接）：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dayuan Desktop</source>
        <translation>大院编辑台</translation>
    </message>
    <message>
        <source>Photos of the article appear here.</source>
        <translation>文章的图片显示在这里。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>&amp;New article</source>
        <translation>新建文章(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Export site…</source>
        <translation>导出网站(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Search the &amp;archive</source>
        <translation>搜索稿库(&amp;A)</translation>
    </message>
    <message>
        <source>Phone width</source>
        <translation>手机宽度</translation>
    </message>
    <message>
        <source>&amp;About Dayuan Desktop</source>
        <translation>关于大院编辑台(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>F&amp;ormat</source>
        <translation>格式(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Article</source>
        <translation>文章(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source> (copy)</source>
        <translation>（副本）</translation>
    </message>
    <message>
        <source>The database could not be opened.</source>
        <translation>无法打开数据库。</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>字数：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>版本冲突</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source> (my version)</source>
        <translation>（我的版本）</translation>
    </message>
    <message>
        <source>Export is not available yet.</source>
        <translation>导出功能尚不可用。</translation>
    </message>
    <message>
        <source>Preferences are not available yet.</source>
        <translation>首选项尚不可用。</translation>
    </message>
    <message>
        <source>About Dayuan Desktop</source>
        <translation>关于大院编辑台</translation>
    </message>
    <message>
        <source>Dayuan Desktop %1
The editorial workstation of 大院网.
Data folder: %2</source>
        <translation>大院编辑台 %1
大院网的编辑工作站。
数据文件夹：%2</translation>
    </message>
    <message>
        <source>Your last changes could not be saved. Quit anyway? They stay in the revisions only if a conflict was recorded.</source>
        <translation>最近的修改未能保存。仍要退出吗？只有记录为冲突的修改才会保留在修订历史中。</translation>
    </message>
</context>
<context>
    <name>MetadataForm</name>
    <message>
        <source>Set</source>
        <translation>设定</translation>
    </message>
    <message>
        <source>Separate tags with commas</source>
        <translation>多个标签用逗号分隔</translation>
    </message>
    <message>
        <source>assigned when published</source>
        <translation>发布时自动分配</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Subtitle</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>Author line</source>
        <translation>作者署名</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Author / place</source>
        <translation>作者 / 地点</translation>
    </message>
    <message>
        <source>Publish time</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Channel / status / No.</source>
        <translation>栏目 / 状态 / 编号</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>(no channel)</source>
        <translation>（无栏目）</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>待审</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>待发</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
</context>
</TS>
