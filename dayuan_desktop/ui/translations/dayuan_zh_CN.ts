<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddressGuard</name>
    <message>
        <source>A published article keeps its channel; choose another channel to move it.</source>
        <translation>已发布的稿件必须有栏目；如需移动，请选择另一个栏目。</translation>
    </message>
    <message>
        <source>The number of a published article cannot be cleared: its page stays at %1.</source>
        <translation>已发布稿件的编号不能清空，页面仍在 %1。</translation>
    </message>
    <message>
        <source>Change the address of a published article?</source>
        <translation>更改已发布稿件的网址？</translation>
    </message>
    <message>
        <source>This article is published at
%1
It will move to
%2

The next export writes a redirect at the old address, so links to it keep working.</source>
        <translation>本稿件已发布在
%1
将改为
%2

下次导出时会在原网址生成跳转页，指向原网址的链接仍然有效。</translation>
    </message>
    <message>
        <source>Change address</source>
        <translation>更改网址</translation>
    </message>
</context>
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
    <message>
        <source>Resolve conflict…</source>
        <translation>解决冲突…</translation>
    </message>
    <message>
        <source>Empty trash…</source>
        <translation>清空回收站…</translation>
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
    <name>ArticleSession</name>
    <message>
        <source>article %1 is published: its number and publish time stay; give it another number instead of none</source>
        <translation>稿件 %1 已发布，编号和发布时间不能清空；如需更改，请填写新的编号</translation>
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
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 is editing</source>
        <translation>%1 正在编辑</translation>
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
        <source>Images that could not be read as photos were left out (%1): %2.</source>
        <translation>无法作为图片读取的图像未粘贴（%1）：%2。</translation>
    </message>
    <message>
        <source>Images that could not be read as photos were left out (%1).</source>
        <translation>无法作为图片读取的图像未粘贴（%1）。</translation>
    </message>
    <message>
        <source>Storing the pasted photo…</source>
        <translation>正在保存粘贴的图片…</translation>
    </message>
    <message>
        <source>Storing pasted photos: %1 of %2…</source>
        <translation>正在保存粘贴的图片：第 %1 张，共 %2 张…</translation>
    </message>
</context>
<context>
    <name>CaptionForm</name>
    <message>
        <source>What the photo shows, e.g. 大同古城墙上的游客</source>
        <translation>照片内容，如：大同古城墙上的游客</translation>
    </message>
    <message>
        <source>e.g. 李明</source>
        <translation>如：李明</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>图片说明</translation>
    </message>
    <message>
        <source>Photographer</source>
        <translation>摄影</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Copyright</source>
        <translation>版权</translation>
    </message>
    <message>
        <source>Shown as</source>
        <translation>显示为</translation>
    </message>
    <message>
        <source>Missing caption</source>
        <translation>缺少图片说明</translation>
    </message>
    <message>
        <source>Missing photographer</source>
        <translation>缺少摄影者署名</translation>
    </message>
    <message>
        <source>Caption has %1 characters; at most %2 fit the portal</source>
        <translation>图片说明有 %1 字，网站最多容纳 %2 字</translation>
    </message>
    <message>
        <source>Photo is %1 px wide; the article column needs at least %2 px</source>
        <translation>图片宽 %1 像素，正文栏至少需要 %2 像素</translation>
    </message>
    <message>
        <source>GPS position present: it is removed from every published copy</source>
        <translation>含 GPS 位置信息：发布的每一份图片都会将其删除</translation>
    </message>
</context>
<context>
    <name>ChannelActions</name>
    <message>
        <source>New channel…</source>
        <translation>新建栏目…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Change URL path…</source>
        <translation>修改网址路径…</translation>
    </message>
    <message>
        <source>Move to…</source>
        <translation>移动到…</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>New channel under %1</source>
        <translation>在%1下新建栏目</translation>
    </message>
    <message>
        <source>New top-level channel</source>
        <translation>新建顶层栏目</translation>
    </message>
    <message>
        <source>New channel</source>
        <translation>新建栏目</translation>
    </message>
    <message>
        <source>Rename channel</source>
        <translation>重命名栏目</translation>
    </message>
    <message>
        <source>Subchannels move with it. Published articles get new addresses; their old addresses redirect to the new ones.</source>
        <translation>子栏目随之改变。已发布文章的网址会改变，旧网址将跳转到新网址。</translation>
    </message>
    <message>
        <source>Change URL path of “%1”</source>
        <translation>修改“%1”的网址路径</translation>
    </message>
    <message>
        <source>Channel %1 (%2)</source>
        <translation>栏目“%1”（%2）</translation>
    </message>
    <message>
        <source>Change published addresses?</source>
        <translation>修改已发布文章的网址？</translation>
    </message>
    <message>
        <source>Changing the URL path %1 to %2 changes the address of %3 published article(s).
Their old addresses will redirect to the new ones after the next export.</source>
        <translation>将网址路径 %1 改为 %2 会改变 %3 篇已发布文章的网址。
下次导出后，旧网址将跳转到新网址。</translation>
    </message>
    <message>
        <source>Channel not changed</source>
        <translation>栏目未修改</translation>
    </message>
</context>
<context>
    <name>ChannelFormDialog</name>
    <message>
        <source>e.g. 文旅体育</source>
        <translation>例如：文旅体育</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>e.g. wlty</source>
        <translation>例如：wlty</translation>
    </message>
    <message>
        <source>Lowercase letters, digits and &apos;-&apos;</source>
        <translation>小写字母、数字和“-”</translation>
    </message>
    <message>
        <source>&amp;URL path:</source>
        <translation>网址路径(&amp;U)：</translation>
    </message>
    <message>
        <source>Lowercase letters, digits and &apos;-&apos;; the address becomes %1…</source>
        <translation>小写字母、数字和“-”；网址将为 %1…</translation>
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
        <source>Conflict copies</source>
        <translation>冲突副本</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
</context>
<context>
    <name>ComparisonView</name>
    <message>
        <source>Choose a revision to compare.</source>
        <translation>选择一个版本进行比较。</translation>
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
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>栏目</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Publish time</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>%1 unchanged paragraphs</source>
        <translation>%1 段未改动</translation>
    </message>
    <message>
        <source>The two versions are the same.</source>
        <translation>两个版本相同。</translation>
    </message>
    <message>
        <source>A very long paragraph changed too much to compare character by character; it is marked as a whole.</source>
        <translation>有一段过长且改动过多，无法逐字比较，已整段标出。</translation>
    </message>
    <message>
        <source>%1 more paragraphs with their context not drawn: the comparison is too long to show whole</source>
        <translation>另有 %1 段（含上下文）未显示：比较结果太长，无法全部显示</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <source>The versions could not be compared: %1</source>
        <translation>无法比较这两个版本：%1</translation>
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
        <source>Reading the saved version…</source>
        <translation>正在读取已保存的版本……</translation>
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
    <message>
        <source>The saved version cannot be read: {reason}</source>
        <translation>无法读取已保存的版本：{reason}</translation>
    </message>
</context>
<context>
    <name>DatabasePassword</name>
    <message>
        <source>Database password</source>
        <translation>数据库密码</translation>
    </message>
    <message>
        <source>This computer has no keyring to keep the password in.
Password for {url}:</source>
        <translation>本机没有可保存密码的系统密钥环。
请输入 {url} 的密码：</translation>
    </message>
</context>
<context>
    <name>EmptyTrash</name>
    <message numerus="yes">
        <source>Delete the %n article(s) in the trash for good? Their revisions go with them; their photos stay in the photo library. This cannot be undone.</source>
        <translation>
            <numerusform>永久删除回收站中的 %n 篇文章？它们的修订记录一并删除，图片仍保留在图片库中。此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>The trash is empty.</source>
        <translation>回收站是空的。</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>清空回收站</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n article(s)</source>
        <translation>
            <numerusform>删除 %n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <source>Emptying the trash…</source>
        <translation>正在清空回收站…</translation>
    </message>
    <message numerus="yes">
        <source>%n article(s) deleted for good.</source>
        <translation>
            <numerusform>已永久删除 %n 篇文章。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped: restored or deleted by someone else meanwhile.</source>
        <translation>
            <numerusform>%n 篇已跳过：期间已被他人恢复或删除。</numerusform>
        </translation>
    </message>
    <message>
        <source>The trash could not be emptied: %1</source>
        <translation>未能清空回收站：%1</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export the Portal</source>
        <translation>导出网站</translation>
    </message>
    <message>
        <source>Export folder:</source>
        <translation>导出文件夹：</translation>
    </message>
    <message>
        <source>Choose the folder the site is written to</source>
        <translation>选择网站要写入的文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>All published articles (with lists, home page and feeds)</source>
        <translation>全部已发布文章（含栏目列表、首页和订阅源）</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected article(s) only</source>
        <translation>
            <numerusform>仅选中的 %n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Still finding out which selected articles are published; try again.</source>
        <translation>正在查询选中的文章是否已发布，请稍后再试。</translation>
    </message>
    <message>
        <source>None of the selected articles is published; nothing to export.</source>
        <translation>选中的文章都未发布，没有可导出的内容。</translation>
    </message>
    <message>
        <source>Preparing the export…</source>
        <translation>正在准备导出…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Choose the folder to export to.</source>
        <translation>请选择导出文件夹。</translation>
    </message>
    <message>
        <source>{folder} is a file, not a folder.</source>
        <translation>{folder} 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Cannot write to {folder}: {reason}. Choose another folder.</source>
        <translation>无法写入 {folder}：{reason}。请选择其他文件夹。</translation>
    </message>
    <message>
        <source>{done} of {total}: {file}</source>
        <translation>{done}/{total}：{file}</translation>
    </message>
    <message>
        <source>Export finished: {written} file(s) written, {unchanged} unchanged, {removed} removed.</source>
        <translation>导出完成：写入 {written} 个文件，{unchanged} 个未变，删除 {removed} 个。</translation>
    </message>
    <message>
        <source>Skipped (not published): {numbers}</source>
        <translation>已跳过（未发布）：{numbers}</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>警告：{text}</translation>
    </message>
    <message>
        <source>Redirect: {old} → {new}</source>
        <translation>跳转页：{old} → {new}</translation>
    </message>
    <message>
        <source>Removed: {path}</source>
        <translation>已删除：{path}</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
    <message>
        <source>The export stopped: {reason}</source>
        <translation>导出已中止：{reason}</translation>
    </message>
    <message>
        <source>The export stopped because of an unexpected error: {reason}</source>
        <translation>导出因意外错误而中止：{reason}</translation>
    </message>
    <message>
        <source>Export cancelled after {done} of {total} files. The files written are complete; the next export continues from there.</source>
        <translation>导出已取消（已完成 {done}/{total} 个文件）。已写入的文件都是完整的，下次导出会从这里继续。</translation>
    </message>
    <message>
        <source>Not published, will be skipped: {numbers}</source>
        <translation>未发布，将跳过：{numbers}</translation>
    </message>
    <message>
        <source>Cannot read the selected articles: {reason}</source>
        <translation>无法读取选中的文章：{reason}</translation>
    </message>
    <message>
        <source>Export Folder</source>
        <translation>导出文件夹</translation>
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
        <translation>%1（已绕回）</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>共 %1 个匹配</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Revision history</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>正在读取历史版本…</translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <source>Compare with the current text</source>
        <translation>与当前文本比较</translation>
    </message>
    <message>
        <source>Compare with the revision before it</source>
        <translation>与上一版本比较</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s)</source>
        <translation>
            <numerusform>共 %n 个版本</numerusform>
        </translation>
    </message>
    <message>
        <source>Current text</source>
        <translation>当前文本</translation>
    </message>
    <message>
        <source>(nothing before)</source>
        <translation>（之前没有版本）</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Restored as a new revision; the history keeps every earlier one.</source>
        <translation>已恢复为新版本；之前的每个版本都保留在历史中。</translation>
    </message>
    <message>
        <source>Not restored: %1 saved this article at %2, after you opened it. Nothing was overwritten; open the article again to see their version.</source>
        <translation>未恢复：%1 在您打开此文章后于 %2 保存了它。没有覆盖任何内容；请重新打开文章查看对方的版本。</translation>
    </message>
    <message>
        <source>Not restored: %1</source>
        <translation>未恢复：%1</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Saved</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Autosave</source>
        <translation>自动保存</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Conflict (edit kept)</source>
        <translation>冲突（已保留编辑）</translation>
    </message>
    <message>
        <source>Moved to trash</source>
        <translation>移入回收站</translation>
    </message>
    <message>
        <source>Synchronized</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ImportProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>IndexRebuild</name>
    <message>
        <source>The search index is being rebuilt: results come from a look through every article and may be slow</source>
        <translation>搜索索引正在重建，结果来自逐篇查找，可能较慢</translation>
    </message>
    <message>
        <source>%1 of %2 articles indexed</source>
        <translation>已索引 %1 / %2 篇</translation>
    </message>
</context>
<context>
    <name>LeaseBar</name>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>&amp;Take over</source>
        <translation>接管(&amp;T)</translation>
    </message>
    <message>
        <source>Edit this article yourself: the other editor&apos;s window turns read-only and their latest text is kept as a revision.</source>
        <translation>由你来编辑这篇稿件：对方的窗口变为只读，对方最新的文字存为一个修订版本。</translation>
    </message>
    <message>
        <source>%1 is editing (%2)</source>
        <translation>%1 正在编辑（%2）</translation>
    </message>
    <message>
        <source>%1 took over this article. Your latest text was kept as a revision (Article → Revision history).</source>
        <translation>%1 接管了这篇稿件。你最新的文字已存为修订版本（文章 → 历史版本）。</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <source>Photo library</source>
        <translation>图片库</translation>
    </message>
    <message>
        <source>Search captions and photographers</source>
        <translation>搜索图片说明和摄影者</translation>
    </message>
    <message>
        <source>Add to article</source>
        <translation>添加到稿件</translation>
    </message>
    <message>
        <source>%1 of %2 photos shown</source>
        <translation>显示 %1 张，共 %2 张</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Edit Link</source>
        <translation>编辑链接</translation>
    </message>
    <message>
        <source>Insert Link</source>
        <translation>插入链接</translation>
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
        <source>&amp;Publish to the web server…</source>
        <translation>发布到网站服务器(&amp;P)…</translation>
    </message>
    <message>
        <source>S&amp;ync with the newsroom</source>
        <translation>与编辑部同步(&amp;Y)</translation>
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
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
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
        <source>Revision &amp;history…</source>
        <translation>历史版本(&amp;H)…</translation>
    </message>
    <message>
        <source>Conflict resolved; the copy is in the trash.</source>
        <translation>冲突已解决；副本已移到回收站。</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source> (copy)</source>
        <translation>（副本）</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) the body shows attached to the article again</source>
        <translation>
            <numerusform>正文中用到的 %n 张图片已重新添加到本文</numerusform>
        </translation>
    </message>
    <message>
        <source>Not published: the checks found problems</source>
        <translation>未发布：发布前检查发现问题</translation>
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
        <source>The new database or language takes effect when Dayuan Desktop starts again.</source>
        <translation>新的数据库或语言将在大院编辑台下次启动时生效。</translation>
    </message>
    <message>
        <source>Log folder: %1</source>
        <translation>日志文件夹：%1</translation>
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
        <source>The conflict is not settled: %1</source>
        <translation>冲突尚未解决：%1</translation>
    </message>
    <message>
        <source>Your last changes could not be saved. Quit anyway? They stay in the revisions only if a conflict was recorded.</source>
        <translation>最近的修改未能保存。仍要退出吗？只有记录为冲突的修改才会保留在修订历史中。</translation>
    </message>
    <message>
        <source>Article &amp;details</source>
        <translation>文章信息(&amp;D)</translation>
    </message>
    <message>
        <source>P&amp;hotos</source>
        <translation>图片(&amp;H)</translation>
    </message>
</context>
<context>
    <name>MetadataForm</name>
    <message>
        <source>Set</source>
        <translation>设定</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设定</translation>
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
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>文章信息</translation>
    </message>
    <message>
        <source>&amp;No.</source>
        <translation>编号(&amp;N)</translation>
    </message>
    <message>
        <source>S&amp;ubtitle</source>
        <translation>副题(&amp;U)</translation>
    </message>
    <message>
        <source>Autho&amp;r</source>
        <translation>作者(&amp;R)</translation>
    </message>
    <message>
        <source>P&amp;lace</source>
        <translation>地点(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Channel</source>
        <translation>栏目(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <source>Ti&amp;me</source>
        <translation>时间(&amp;M)</translation>
    </message>
    <message>
        <source>Ta&amp;gs</source>
        <translation>标签(&amp;G)</translation>
    </message>
    <message>
        <source>Summar&amp;y</source>
        <translation>摘要(&amp;Y)</translation>
    </message>
    <message>
        <source>No. %1</source>
        <translation>编号 %1</translation>
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
        <source>(no channel)</source>
        <translation>（无栏目）</translation>
    </message>
</context>
<context>
    <name>MoveChannelDialog</name>
    <message>
        <source>Move channel “%1”</source>
        <translation>移动栏目“%1”</translation>
    </message>
    <message>
        <source>(top level)</source>
        <translation>（顶层）</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>栏目：</translation>
    </message>
    <message>
        <source>&amp;Under:</source>
        <translation>移到(&amp;U)：</translation>
    </message>
</context>
<context>
    <name>PhotoImport</name>
    <message>
        <source>the file is empty (0 bytes)</source>
        <translation>文件是空的（0 字节）</translation>
    </message>
    <message>
        <source>the file is %1 MB; photos over %2 MB are refused (export a smaller JPEG)</source>
        <translation>文件有 %1 MB，超过 %2 MB 的图片不能导入（请导出较小的 JPEG）</translation>
    </message>
    <message>
        <source>%1 files are not supported: convert it to JPEG</source>
        <translation>不支持 %1 格式，请先转换为 JPEG</translation>
    </message>
    <message>
        <source>camera raw files are not supported: convert it to JPEG</source>
        <translation>不支持相机 RAW 原片，请先转换为 JPEG</translation>
    </message>
    <message>
        <source>not a picture Dayuan Desktop can read (%1)</source>
        <translation>不是大院编辑台能读取的图片（%1）</translation>
    </message>
    <message>
        <source>the picture is damaged and cannot be read (%1)</source>
        <translation>图片已损坏，无法读取（%1）</translation>
    </message>
    <message>
        <source>the picture is empty (%1 pixels)</source>
        <translation>图片尺寸为空（%1 像素）</translation>
    </message>
    <message>
        <source>%1 pixels is too large: refused as a possible decompression bomb</source>
        <translation>%1 像素过大，疑似“解压炸弹”，已拒绝</translation>
    </message>
    <message>
        <source>too many pixels: refused as a possible decompression bomb</source>
        <translation>像素过多，疑似“解压炸弹”，已拒绝</translation>
    </message>
    <message>
        <source>the file is no longer there (%1)</source>
        <translation>文件已不在原处（%1）</translation>
    </message>
    <message>
        <source>the file cannot be read (%1)</source>
        <translation>文件无法读取（%1）</translation>
    </message>
    <message>
        <source>not a file (a folder or a device)</source>
        <translation>不是文件（而是文件夹或设备）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Not imported:</source>
        <translation>未导入：</translation>
    </message>
    <message>
        <source>Importing photo %1 of %2</source>
        <translation>正在导入第 %1 张，共 %2 张</translation>
    </message>
    <message>
        <source>%n new photo(s) imported</source>
        <translation>已导入 %n 张新图片</translation>
    </message>
    <message>
        <source>%n already in the library, added to the article</source>
        <translation>%n 张已在图片库中，已直接添加</translation>
    </message>
    <message>
        <source>%n already in this article</source>
        <translation>%n 张已在本文中</translation>
    </message>
    <message>
        <source>%n not imported</source>
        <translation>%n 张未导入</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>No photos imported</source>
        <translation>没有导入图片</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>PhotoListModel</name>
    <message>
        <source>Lead</source>
        <translation>题图</translation>
    </message>
    <message>
        <source>(no caption)</source>
        <translation>（无说明）</translation>
    </message>
</context>
<context>
    <name>PhotoPanel</name>
    <message>
        <source>Drop photo files here, or paste them (Ctrl+V)</source>
        <translation>把图片文件拖到这里，或粘贴（Ctrl+V）</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Add photo files (several at once)</source>
        <translation>添加图片文件（可多选）</translation>
    </message>
    <message>
        <source>Library…</source>
        <translation>图片库…</translation>
    </message>
    <message>
        <source>Reuse a photo from the library</source>
        <translation>从图片库选用图片</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Add the photo on the clipboard</source>
        <translation>添加剪贴板上的图片</translation>
    </message>
    <message>
        <source>Insert into body</source>
        <translation>插入正文</translation>
    </message>
    <message>
        <source>Place the photo at the cursor in the body</source>
        <translation>把图片插入正文光标处</translation>
    </message>
    <message>
        <source>Make lead</source>
        <translation>设为题图</translation>
    </message>
    <message>
        <source>Make this the article&apos;s lead photo</source>
        <translation>把这张图片设为稿件的题图</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Take the photo out of the article (it stays in the library)</source>
        <translation>从稿件中移除图片（图片仍留在图片库）</translation>
    </message>
    <message>
        <source>Undo remove</source>
        <translation>撤销移除</translation>
    </message>
    <message>
        <source>Put the removed photo back: its place, lead mark and body lines</source>
        <translation>放回刚移除的图片：原来的位置、题图标记和正文中的图片行</translation>
    </message>
    <message>
        <source>Photo texts not saved: %1</source>
        <translation>图片说明未保存：%1</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <source>Photos (%1);;All files (*)</source>
        <translation>图片 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The clipboard holds no photo.</source>
        <translation>剪贴板上没有图片。</translation>
    </message>
    <message>
        <source>Photos are still being imported; wait for them or cancel.</source>
        <translation>图片仍在导入，请等待或取消。</translation>
    </message>
    <message>
        <source>Photos not saved: %1</source>
        <translation>图片未保存：%1</translation>
    </message>
    <message>
        <source>Photos not imported: %1</source>
        <translation>图片未导入：%1</translation>
    </message>
    <message>
        <source>Import cancelled</source>
        <translation>导入已取消</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Publishing</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>These texts appear on every exported page and are shared by everyone using this database.</source>
        <translation>这些文字显示在导出的每个页面上，使用此数据库的所有人共用。</translation>
    </message>
    <message>
        <source>Site name:</source>
        <translation>网站名称：</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>网站地址：</translation>
    </message>
    <message>
        <source>About title:</source>
        <translation>简介标题：</translation>
    </message>
    <message>
        <source>About text:</source>
        <translation>简介内容：</translation>
    </message>
    <message>
        <source>Copyright title:</source>
        <translation>版权标题：</translation>
    </message>
    <message>
        <source>One line per paragraph under each article</source>
        <translation>每行一段，显示在每篇文章下方</translation>
    </message>
    <message>
        <source>Copyright lines:</source>
        <translation>版权声明：</translation>
    </message>
    <message>
        <source>Page address label:</source>
        <translation>本文地址标签：</translation>
    </message>
    <message>
        <source>Footer name:</source>
        <translation>页脚名称：</translation>
    </message>
    <message>
        <source>Footer copyright:</source>
        <translation>页脚版权：</translation>
    </message>
    <message>
        <source>Footer notice (Chinese):</source>
        <translation>页脚声明（中文）：</translation>
    </message>
    <message>
        <source>Footer notice (English):</source>
        <translation>页脚声明（英文）：</translation>
    </message>
    <message>
        <source>Asked for at the first export</source>
        <translation>首次导出时询问</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export folder:</source>
        <translation>导出文件夹：</translation>
    </message>
    <message>
        <source>Photo size (long side, px):</source>
        <translation>照片尺寸（长边，像素）：</translation>
    </message>
    <message>
        <source>Photos on the exported pages are scaled down to this size ({low}–{high} px). Shared by everyone using this database.</source>
        <translation>导出页面上的照片会缩小到此尺寸（{low}–{high} 像素）。使用此数据库的所有人共用。</translation>
    </message>
    <message>
        <source>A database file on this computer (SQLite)</source>
        <translation>本机上的数据库文件（SQLite）</translation>
    </message>
    <message>
        <source>The newsroom&apos;s PostgreSQL server</source>
        <translation>编辑部的 PostgreSQL 服务器</translation>
    </message>
    <message>
        <source>The default file in your data folder</source>
        <translation>数据文件夹中的默认文件</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>This computer has no keyring: the password will not be saved, and Dayuan Desktop will ask for it at each start.</source>
        <translation>本机没有系统密钥环：密码不会被保存，大院编辑台每次启动时都会询问密码。</translation>
    </message>
    <message>
        <source>A change of database takes effect when Dayuan Desktop is restarted.</source>
        <translation>更换数据库将在重新启动大院编辑台后生效。</translation>
    </message>
    <message>
        <source>Automatic (the system&apos;s language)</source>
        <translation>自动（跟随系统语言）</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>A change of language takes effect when Dayuan Desktop is restarted.</source>
        <translation>更改语言将在重新启动大院编辑台后生效。</translation>
    </message>
    <message>
        <source>The site name cannot be empty.</source>
        <translation>网站名称不能为空。</translation>
    </message>
    <message numerus="yes">
        <source>The site name is too long (at most %n characters).</source>
        <translation>
            <numerusform>网站名称过长（最多 %n 个字符）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the site&apos;s address starting with http:// or https://, e.g. http://www.shanxidayuan.com (no spaces, no ? or #).</source>
        <translation>请输入以 http:// 或 https:// 开头的网站地址，例如 http://www.shanxidayuan.com（不含空格、? 或 #）。</translation>
    </message>
    <message>
        <source>Enter a whole number from {low} to {high}.</source>
        <translation>请输入 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>这是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>This is a folder; enter the database file&apos;s name.</source>
        <translation>这是文件夹，请输入数据库文件名。</translation>
    </message>
    <message>
        <source>Enter a PostgreSQL URL with a server and a database name, e.g. postgresql://editor:password@server/dayuan.</source>
        <translation>请输入包含服务器和数据库名的 PostgreSQL 地址，例如 postgresql://editor:password@server/dayuan。</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
    <message>
        <source>The site settings could not be saved: {reason}</source>
        <translation>网站设置未能保存：{reason}</translation>
    </message>
    <message>
        <source>Your settings could not be saved: {reason}</source>
        <translation>您的设置未能保存：{reason}</translation>
    </message>
    <message>
        <source>Correct the URL first.</source>
        <translation>请先更正地址。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>The database is empty; Dayuan Desktop will set it up on the next start.</source>
        <translation>数据库为空，大院编辑台将在下次启动时初始化它。</translation>
    </message>
    <message>
        <source>It holds a Dayuan Desktop database of this version.</source>
        <translation>其中是本版本的大院编辑台数据库。</translation>
    </message>
    <message>
        <source>Its database will be upgraded on the next start (after a backup).</source>
        <translation>下次启动时将升级其中的数据库（升级前会先备份）。</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version}.</source>
        <translation>已连接到 PostgreSQL {version}。</translation>
    </message>
    <message>
        <source>Connection failed: {reason}</source>
        <translation>连接失败：{reason}</translation>
    </message>
    <message>
        <source>Export Folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <source>Database File</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite3 *.db);;All files (*)</source>
        <translation>SQLite 数据库 (*.sqlite3 *.db);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Desktop</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>Show the page at desktop width</source>
        <translation>按电脑屏幕宽度显示页面</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Show the page at phone width (390 px)</source>
        <translation>按手机屏幕宽度显示页面（390 像素）</translation>
    </message>
    <message>
        <source>The page cannot be shown: {reason}</source>
        <translation>无法显示页面：{reason}</translation>
    </message>
    <message>
        <source>The preview folder cannot be written: {reason}</source>
        <translation>无法写入预览文件夹：{reason}</translation>
    </message>
    <message>
        <source>Photos cannot be prepared: {reason}</source>
        <translation>无法准备照片：{reason}</translation>
    </message>
    <message numerus="yes">
        <source>Preparing %n photo(s)…</source>
        <translation>
            <numerusform>正在准备 %n 张照片…</numerusform>
        </translation>
    </message>
    <message>
        <source>A photo cannot be shown ({path}): {reason}</source>
        <translation>有一张照片无法显示（{path}）：{reason}</translation>
    </message>
</context>
<context>
    <name>PublishCheckDialog</name>
    <message>
        <source>Checks before publishing</source>
        <translation>发布前检查</translation>
    </message>
    <message>
        <source>This article cannot be published yet. Fix these first; its status stays as it was:</source>
        <translation>这篇文章还不能发布。请先改正以下问题，文章状态保持不变：</translation>
    </message>
    <message>
        <source>Worth a look before publishing:</source>
        <translation>发布前请留意：</translation>
    </message>
    <message>
        <source>Back to editing</source>
        <translation>返回修改</translation>
    </message>
    <message>
        <source>Publish anyway</source>
        <translation>仍然发布</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message>
        <source>Publish to the web server</source>
        <translation>发布到网站服务器</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>发布目标：</translation>
    </message>
    <message>
        <source>(no export folder chosen yet)</source>
        <translation>（尚未选择导出文件夹）</translation>
    </message>
    <message>
        <source>Site folder:</source>
        <translation>网站文件夹：</translation>
    </message>
    <message>
        <source>Dry run: show what would change, change nothing</source>
        <translation>演练：只列出将要发生的变化，不做任何改动</translation>
    </message>
    <message>
        <source>Verify: compare with the files really on the server</source>
        <translation>核对：与服务器上实际的文件逐一比较</translation>
    </message>
    <message>
        <source>Delete at most:</source>
        <translation>最多删除：</translation>
    </message>
    <message>
        <source>Accept and publish</source>
        <translation>接受并发布</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Cancel publishing</source>
        <translation>取消发布</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No export folder yet: export the site first (File → Export site…).</source>
        <translation>还没有导出文件夹：请先导出网站（文件 → 导出网站…）。</translation>
    </message>
    <message>
        <source>Connecting and reading the site folder…</source>
        <translation>正在连接服务器并读取网站文件夹…</translation>
    </message>
    <message>
        <source>Stopping after the files being sent…</source>
        <translation>正在传送的文件完成后停止…</translation>
    </message>
    <message>
        <source>The server&apos;s key was refused: nothing was published.</source>
        <translation>已拒绝服务器的密钥，未发布任何内容。</translation>
    </message>
    <message>
        <source>%1 of %2 files · %3 of %4 MB</source>
        <translation>文件 %1 / %2 · %3 / %4 MB</translation>
    </message>
    <message>
        <source>Photos and static files</source>
        <translation>图片和静态文件</translation>
    </message>
    <message>
        <source>Article pages</source>
        <translation>稿件页面</translation>
    </message>
    <message>
        <source>Channel lists and home page</source>
        <translation>栏目列表和首页</translation>
    </message>
    <message>
        <source>Feeds and sitemap</source>
        <translation>订阅源和站点地图</translation>
    </message>
    <message>
        <source>Deletions</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Stage %1 of 5: %2</source>
        <translation>第 %1 步（共 5 步）：%2</translation>
    </message>
    <message>
        <source>Dry run: nothing was changed.</source>
        <translation>演练：未做任何改动。</translation>
    </message>
    <message>
        <source>Cancelled: the next run goes on from here.</source>
        <translation>已取消：下次发布将从这里继续。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Allow %1 deletions and publish again (this run only)</source>
        <translation>允许删除 %1 个文件并重新发布（仅本次）</translation>
    </message>
    <message>
        <source>Would upload %1 files (%2 MB) and delete %3; %4 unchanged.</source>
        <translation>将上传 %1 个文件（%2 MB），删除 %3 个；%4 个未变。</translation>
    </message>
    <message>
        <source>%1 uploaded, %2 unchanged, %3 deleted.</source>
        <translation>已上传 %1 个，未变 %2 个，已删除 %3 个。</translation>
    </message>
    <message>
        <source>%1 files were missing or different on the server and are sent again.</source>
        <translation>服务器上有 %1 个文件缺失或不一致，将重新上传。</translation>
    </message>
    <message>
        <source>%1 files were refused by the server (listed below); they are sent again next time, and later stages were not started.</source>
        <translation>服务器拒收了 %1 个文件（见下方列表），下次发布会重新上传；后续步骤没有开始。</translation>
    </message>
    <message>
        <source>%1 files are gone from the site, more than the limit of %2: nothing was deleted.</source>
        <translation>网站中有 %1 个文件已不存在，超过上限 %2 个：未删除任何文件。</translation>
    </message>
    <message>
        <source>This computer has no keyring: the password was not saved and will be asked for next time.</source>
        <translation>本机没有密钥环：密码未保存，下次发布时会再次询问。</translation>
    </message>
    <message>
        <source>The server&apos;s key has CHANGED: refused, this may be an attack.</source>
        <translation>服务器的密钥已变更：已拒绝连接，这可能是攻击。</translation>
    </message>
    <message>
        <source>First connection to %1. Its SSH key fingerprint is:

%2

Check it with the server&apos;s administrator. Accept only if it is the same.</source>
        <translation>首次连接 %1。其 SSH 密钥指纹为：

%2

请与服务器管理员核对，完全一致时才接受。</translation>
    </message>
    <message>
        <source>Type the server&apos;s password. It will be kept in the system keyring.</source>
        <translation>请输入服务器密码，密码将保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>This computer has no keyring (such as Secret Service or Windows Credential Locker): the password cannot be saved and is asked for at each publish.</source>
        <translation>本机没有密钥环（如 Secret Service 或 Windows 凭据保险箱）：密码无法保存，每次发布时都会询问。</translation>
    </message>
</context>
<context>
    <name>ResolveConflictDialog</name>
    <message>
        <source>Resolve conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <source>Reading both versions…</source>
        <translation>正在读取两个版本…</translation>
    </message>
    <message>
        <source>The newsroom&apos;s version</source>
        <translation>编辑部的版本</translation>
    </message>
    <message>
        <source>The conflict copy (mine)</source>
        <translation>冲突副本（我的）</translation>
    </message>
    <message>
        <source>Merge by hand: the body to save (where both changed, the newsroom&apos;s paragraphs come first, then mine):</source>
        <translation>手工合并：要保存的正文（两边都改过的地方，先是编辑部的段落，后是我的）：</translation>
    </message>
    <message>
        <source>Keep the newsroom&apos;s</source>
        <translation>保留编辑部的</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Save the merge</source>
        <translation>保存合并结果</translation>
    </message>
    <message>
        <source>“%1” was changed in the newsroom and on this side in the same place. Nothing is lost: the copy you do not keep goes to the trash.</source>
        <translation>《%1》在编辑部和本机的同一处都被修改了。不会丢失任何内容：不保留的副本会移到回收站。</translation>
    </message>
    <message>
        <source>Not settled: %1</source>
        <translation>未能解决：%1</translation>
    </message>
</context>
<context>
    <name>SideArea</name>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Photos (%1)</source>
        <translation>图片（%1）</translation>
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
        <translation>已发布</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
</context>
<context>
    <name>SyncRunner</name>
    <message>
        <source>No newsroom database is set. Enter it in Preferences → Sync first.</source>
        <translation>尚未设置编辑部数据库。请先在“首选项 → 同步”中填写。</translation>
    </message>
    <message>
        <source>Stopping after the current article…</source>
        <translation>正在完成当前稿件后停止…</translation>
    </message>
    <message>
        <source>Connecting to the newsroom database…</source>
        <translation>正在连接编辑部数据库…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sync with the newsroom</source>
        <translation>与编辑部同步</translation>
    </message>
    <message>
        <source>Articles: %1 of %2</source>
        <translation>稿件：%1 / %2</translation>
    </message>
    <message>
        <source>%1 sent, %2 received, %3 merged, %4 conflicts</source>
        <translation>发出 %1 篇，收到 %2 篇，合并 %3 篇，冲突 %4 篇</translation>
    </message>
    <message>
        <source>Photos: %1 sent, %2 received</source>
        <translation>图片：发出 %1 张，收到 %2 张</translation>
    </message>
    <message>
        <source>Number clash: %1</source>
        <translation>稿号冲突：%1</translation>
    </message>
    <message>
        <source>Conflict copies are listed under “Conflict copies”; choose one and Article → Resolve conflict…</source>
        <translation>冲突副本列在“冲突副本”下；选中后用“稿件 → 解决冲突…”处理。</translation>
    </message>
    <message>
        <source>%1 article(s) saved during the sync are left for the next sync</source>
        <translation>%1 篇稿件在同步期间被保存，留待下次同步</translation>
    </message>
    <message>
        <source>The sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <source>Sync cancelled; articles exchanged so far are complete. The next sync carries on.</source>
        <translation>同步已取消；已交换的稿件完整无缺，下次同步会继续。</translation>
    </message>
</context>
<context>
    <name>SyncTarget</name>
    <message>
        <source>Newsroom database password</source>
        <translation>编辑部数据库密码</translation>
    </message>
    <message>
        <source>This computer has no keyring to keep the password in.
Password for {url}:</source>
        <translation>本机没有可保存密码的系统密钥环。
请输入 {url} 的密码：</translation>
    </message>
</context>
<context>
    <name>SyncTargetTab</name>
    <message>
        <source>Newsroom database:</source>
        <translation>编辑部数据库：</translation>
    </message>
    <message>
        <source>File → Sync with the newsroom exchanges articles and photos with this database (a server URL or a SQLite file). The password is kept in the system keyring, never in the settings file.</source>
        <translation>“文件 → 与编辑部同步”与这个数据库（服务器地址或 SQLite 文件）交换稿件和图片。密码保存在系统密钥环中，绝不写入设置文件。</translation>
    </message>
    <message>
        <source>This computer has no keyring: the password will not be saved, and Dayuan Desktop will ask for it at each sync.</source>
        <translation>这台电脑没有密钥环：密码不会被保存，每次同步时大院桌面会询问密码。</translation>
    </message>
</context>
<context>
    <name>TagChips</name>
    <message>
        <source>Suggested:</source>
        <translation>建议：</translation>
    </message>
    <message>
        <source>no suggestions</source>
        <translation>暂无建议</translation>
    </message>
    <message>
        <source>Add the tag “%1”</source>
        <translation>添加标签“%1”</translation>
    </message>
</context>
<context>
    <name>TagSuggestionDriver</name>
    <message>
        <source>Loading the dictionary…</source>
        <translation>正在载入词典…</translation>
    </message>
    <message>
        <source>Counting the archive&apos;s words… %1%</source>
        <translation>正在统计稿库词频… %1%</translation>
    </message>
    <message>
        <source>Tag suggestions are unavailable: %1</source>
        <translation>标签建议暂不可用：%1</translation>
    </message>
</context>
<context>
    <name>TargetDialog</name>
    <message>
        <source>Add a publishing target</source>
        <translation>添加发布目标</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>optional: an SSH private key file</source>
        <translation>可选：SSH 私钥文件</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>SSH key:</source>
        <translation>SSH 密钥：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>The password is kept in the system keyring, never in a settings file. Without a keyring it is asked for at each publish.</source>
        <translation>密码保存在系统密钥环中，绝不写入设置文件。本机没有密钥环时，每次发布都会询问。</translation>
    </message>
    <message>
        <source>SSH private key</source>
        <translation>SSH 私钥</translation>
    </message>
</context>
<context>
    <name>TargetsPage</name>
    <message>
        <source>Servers the site is published to (File → Publish to the web server):</source>
        <translation>网站发布到的服务器（文件 → 发布到网站服务器）：</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Saving the password in the keyring…</source>
        <translation>正在把密码保存到密钥环…</translation>
    </message>
    <message>
        <source>The password is kept in the system keyring.</source>
        <translation>密码已保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>This computer has no keyring (such as Secret Service or Windows Credential Locker): the password was not saved and is asked for at each publish.</source>
        <translation>本机没有密钥环（如 Secret Service 或 Windows 凭据保险箱）：密码未保存，每次发布时都会询问。</translation>
    </message>
</context>
<context>
    <name>TrashBanner</name>
    <message>
        <source>This article is in the trash: it cannot be edited until it is restored.</source>
        <translation>此文章在回收站中，恢复后才能编辑。</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
</context>
<context>
    <name>UserNameDialog</name>
    <message>
        <source>Your name</source>
        <translation>你的名字</translation>
    </message>
    <message>
        <source>Your name, as colleagues will see it in revisions and beside the articles you are editing:</source>
        <translation>你的名字（同事会在修订记录和你正在编辑的稿件旁看到）：</translation>
    </message>
</context>
<context>
    <name>WelcomeBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Welcome to Dayuan Desktop. The sample article 4709 is open; your articles and photos are saved as you type, in %1.</source>
        <translation>欢迎使用大院编辑台。示例文章 4709 已打开；文章和图片在输入时自动保存到 %1。</translation>
    </message>
    <message>
        <source>Welcome to Dayuan Desktop. Your articles and photos are saved as you type, in %1.</source>
        <translation>欢迎使用大院编辑台。文章和图片在输入时自动保存到 %1。</translation>
    </message>
    <message>
        <source>To publish the portal&apos;s pages, choose File → Export site… (Ctrl+E). The data and log folders are listed in Help → About.</source>
        <translation>发布网站页面请选择“文件 → 导出网站…”（Ctrl+E）。数据和日志文件夹见“帮助 → 关于大院编辑台”。</translation>
    </message>
</context>
</TS>
