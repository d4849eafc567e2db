"""The built-in layout families, registered through the same ``register_layouts`` hook as plugins."""

from polyocr.synth.layouts.base import Layout, LayoutSpec
from polyocr.synth.layouts.columns import ColumnsLayout
from polyocr.synth.layouts.form import FormLayout
from polyocr.synth.layouts.rotated import RotatedLayout
from polyocr.synth.layouts.scene import SceneLayout
from polyocr.synth.layouts.slide import SlideLayout
from polyocr.synth.layouts.table import TableLayout
from polyocr.synth.layouts.toc import TocLayout
from polyocr.synth.layouts.vertical import VerticalLayout

BUILTIN_LAYOUTS: tuple[tuple[type[Layout], float], ...] = (
    (ColumnsLayout, 3.0),
    (TableLayout, 1.2),
    (TocLayout, 0.6),
    (SlideLayout, 0.8),
    (FormLayout, 1.2),
    (SceneLayout, 1.0),
    (VerticalLayout, 1.0),
    (RotatedLayout, 0.6),
)

__all__ = ["BUILTIN_LAYOUTS", "Layout", "LayoutSpec"]
