/** ECharts, tree-shaken to the charts the screens use. */
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type { EChartsCoreOption as ChartOption, ECharts } from 'echarts/core';

/**
 * The font stack of theme.css. Canvas text needs real family names: a CSS keyword such as `inherit` makes the browser
 * reject the whole canvas font (size included) and draw 10px text.
 */
export const CHART_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";

/** Okabe–Ito: a colour-blind-safe categorical palette; status colours are kept apart for status. */
export const SERIES_COLOURS = ['#56B4E9', '#E69F00', '#009E73', '#F0E442', '#0072B2', '#CC79A7', '#999999'];
