// A figure's chart with Apache ECharts, imported piece by piece (bar chart, grid, tooltip, legend, aria,
// SVG renderer) so the bundle carries only these. The data table next to it is the accessible
// alternative; the chart itself is one image with a text label.
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { init, use, type ComposeOption } from "echarts/core";
import type { BarSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

type Option = ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface ChartData {
  categories: string[];
  series: Array<{ label: string; data: Array<number | null> }>;
}

// The design system's palette, dark enough to be told apart on white (WCAG 1.4.11).
const COLOURS = ["#0066cc", "#cc334d", "#008055", "#995c00", "#5c6f82", "#6e2fa0", "#17324d"];

export function FigureChart(props: {
  chart: ChartData;
  label: string;
  categoryLabel(value: string): string;
  seriesLabel(value: string): string;
  formatNumber(value: number): string;
}) {
  const { chart, label, categoryLabel, seriesLabel, formatNumber } = props;
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const instance = init(host.current, undefined, { renderer: "svg" });
    const option: Option = {
      color: COLOURS,
      aria: { enabled: false },
      animation: false,
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: unknown) => (typeof v === "number" ? formatNumber(v) : "–"),
      },
      legend: { top: 0, textStyle: { color: "#17324d" } },
      grid: { left: 48, right: 16, top: 48, bottom: 64, containLabel: true },
      xAxis: {
        type: "category",
        data: chart.categories.map(categoryLabel),
        axisLabel: { color: "#17324d", interval: 0, rotate: chart.categories.length > 6 ? 30 : 0 },
      },
      yAxis: { type: "value", axisLabel: { color: "#17324d", formatter: (v: number) => formatNumber(v) } },
      series: chart.series.map((s) => ({ type: "bar", name: seriesLabel(s.label), data: s.data })),
    } as Option;
    instance.setOption(option);
    const resize = () => instance.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      instance.dispose();
    };
  }, [chart, categoryLabel, seriesLabel, formatNumber]);
  return (
    <div
      ref={host}
      role="img"
      aria-label={label}
      data-testid="figure-chart"
      style={{ width: "100%", height: 360 }}
    />
  );
}
