// ECharts, imported modularly (core + the few charts/components we draw + the canvas renderer) so the bundle stays
// small and nothing needs eval: the page runs under CSP script-src 'self'.
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, MarkPointComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export interface ChartClick { seriesName?: string; name: string; dataIndex: number; value: unknown; data: unknown }

const reducedMotion = () => typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export const PALETTE = ['#1f5f8b', '#c2562d', '#5b8c3a', '#8a6bb0', '#b8912f', '#3d8f8f', '#9b4f6a', '#5c6b7a'];

export function Chart({ option, onClick, height = 260, label, testId }: { option: ChartOption; onClick?: (p: ChartClick) => void; height?: number; label: string; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, null, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p as unknown as ChartClick));
    // `data-rendered` says the chart has drawn its current option, animation included (what a screenshot or a test
    // waits for instead of a sleep).
    const node = el.current;
    c.on('finished', () => node.setAttribute('data-rendered', 'true'));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => { ro.disconnect(); c.dispose(); chart.current = null; };
  }, []);

  useEffect(() => {
    el.current?.setAttribute('data-rendered', 'false');
    chart.current?.setOption({
      color: PALETTE,
      textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif', fontSize: 11 },
      aria: { enabled: true, decal: { show: false } },
      // A system set to reduce motion (prefers-reduced-motion, WCAG 2.3.3) gets the chart drawn at once.
      animation: !reducedMotion(),
      animationDuration: 300,
      ...option,
    }, true);
  }, [option]);

  return <div ref={el} className={onClick ? 'chart clickable' : 'chart'} style={{ height }} role="img" aria-label={label} data-testid={testId} />;
}
