<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that Qt's qtbase_zh_CN.qm does not translate (yet): the file chooser's
     labels gained a keyboard mnemonic ("&Look in:") and the shipped Chinese still knows only
     the old text. Loaded after qtbase_zh_CN.qm, so these win. Compiled by
     tools/update_translations.py; checked in tests/ui/test_translations.py. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
</TS>
