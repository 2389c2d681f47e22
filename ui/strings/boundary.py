"""Strings of the page boundary (ui/boundary.py): what a student sees when a page fails."""

EN = {
    "boundary.message": "Sorry — something went wrong on this page. It is a bug in the app, not something you did; "
    "it has been written to the server's log. The other pages still work.",
    "boundary.reset": "Reset this page",
    "boundary.resets": "Puts this page's settings back to their defaults. Your sequence X (generated, uploaded or "
    "edited) is kept, and the other pages are not touched.",
    "boundary.reset_with_data": "Reset this page and the sequence X",
    "boundary.resets_with_data": "Resetting the settings alone did not help, so this also replaces the sequence X by "
    "the default one (an uploaded file on your computer is not changed). The other pages' settings are kept.",
}

ZH = {
    "boundary.message": "抱歉，这个页面出错了。这是应用本身的缺陷，不是你的操作有误；错误已记录在服务器日志中。其他页面仍可正常使用。",
    "boundary.reset": "重置此页面",
    "boundary.resets": "把此页面的设置恢复为默认值。你的序列 X（生成、上传或编辑的）会保留，其他页面不受影响。",
    "boundary.reset_with_data": "重置此页面和序列 X",
    "boundary.resets_with_data": "只重置设置没有解决问题，因此这次也会把序列 X 换成默认序列（你电脑上的上传文件不会改变）。"
    "其他页面的设置保留不变。",
}
