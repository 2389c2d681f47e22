"""Strings of the export section and projector mode (every page's sidebar)."""

EN = {
    "export.header": "Export",
    "export.format": "Chart images (camera button)",
    "export.format.help": "The camera button in every chart's toolbar saves the chart as a PNG (twice the size on "
    "screen, for slides) or as an SVG (vector: sharp at any size).",
    "export.html": "Download this page as HTML",
    "export.html.help": "One file with this page's charts, settings, link and numbers, for slides and handouts. "
    "It opens in any browser without a network connection.",
    "export.exported": "Exported from Attention Explorer on",
    "export.settings": "Settings",
    "export.link": "Open this view",
    "export.numbers": "The numbers",
    "export.too_large": "{rows} × {cols} numbers are too many to print here; the page's Data downloads hold them.",
    "export.csv": "Download CSV",
    "export.npy": "Download NPY",
    "projector.toggle": "Projector mode",
    "projector.toggle.help": "Larger text and thicker lines, for the back row. "
    "Light or dark theme: the ⋮ menu at the top right.",
}

ZH = {
    "export.header": "导出",
    "export.format": "图表图片（相机按钮）",
    "export.format.help": "每个图表工具栏里的相机按钮把图表保存为 PNG（屏幕尺寸的两倍，适合幻灯片）或 SVG（矢量图，任意缩放都清晰）。",
    "export.html": "把本页下载为 HTML",
    "export.html.help": "一个文件，包含本页的图表、设置、链接和数值，可用于幻灯片和讲义。无需联网即可在任何浏览器中打开。",
    "export.exported": "导出自 Attention Explorer，时间",
    "export.settings": "设置",
    "export.link": "打开此视图",
    "export.numbers": "数值",
    "export.too_large": "{rows} × {cols} 个数值太多，无法在此列出；请使用本页“数据”中的下载。",
    "export.csv": "下载 CSV",
    "export.npy": "下载 NPY",
    "projector.toggle": "投影模式",
    "projector.toggle.help": "更大的文字、更粗的线条，让后排也看得清。浅色或深色主题：右上角的 ⋮ 菜单。",
}
