import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { MinuteSeries } from './series';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip, Filler);

const colors = {
  messages: '#4f46e5',
  unsafe: '#c2410c',
  happy: '#15803d',
  neutral: '#94a3b8',
  sad: '#1d4ed8',
};

const minuteLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function labels(series: MinuteSeries): string[] {
  return series.starts.map((t) => minuteLabel.format(new Date(t)));
}

function textColor(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--muted').trim() || '#5b6178';
}

function gridColor(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--border').trim() || '#e1e4ee';
}

function baseOptions() {
  return {
    responsive: true,
    maintainAspectRatio: false,
    // Live updates arrive every few seconds; animating each one only makes the chart hard to read.
    animation: false as const,
    interaction: { mode: 'index' as const, intersect: false },
    plugins: { legend: { position: 'bottom' as const, labels: { color: textColor(), boxWidth: 12 } } },
    scales: {
      x: { ticks: { color: textColor(), maxTicksLimit: 7, maxRotation: 0 }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: textColor(), precision: 0 }, grid: { color: gridColor() } },
    },
  };
}

/** Analysed messages and unsafe messages per minute over the window (chart.js line chart). */
export class ActivityChart {
  private readonly chart: Chart<'line'>;

  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: [],
        datasets: [
          { label: 'Messages / min', data: [], borderColor: colors.messages, backgroundColor: `${colors.messages}22`, fill: true, tension: 0.3, pointRadius: 0, borderWidth: 2 },
          { label: 'Unsafe / min', data: [], borderColor: colors.unsafe, backgroundColor: colors.unsafe, tension: 0.3, pointRadius: 0, borderWidth: 2 },
        ],
      },
      options: baseOptions(),
    });
  }

  update(series: MinuteSeries): void {
    this.chart.data.labels = labels(series);
    this.chart.data.datasets[0]!.data = [...series.messages];
    this.chart.data.datasets[1]!.data = [...series.unsafe];
    this.chart.update('none');
  }
}

/** Mood of analysed messages per minute, stacked (chart.js bar chart). */
export class MoodChart {
  private readonly chart: Chart<'bar'>;

  constructor(canvas: HTMLCanvasElement) {
    const options = baseOptions();
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Happy', data: [], backgroundColor: colors.happy, stack: 'mood' },
          { label: 'Neutral', data: [], backgroundColor: colors.neutral, stack: 'mood' },
          { label: 'Sad', data: [], backgroundColor: colors.sad, stack: 'mood' },
        ],
      },
      options: { ...options, scales: { x: { ...options.scales.x, stacked: true }, y: { ...options.scales.y, stacked: true } } },
    });
  }

  update(series: MinuteSeries): void {
    this.chart.data.labels = labels(series);
    this.chart.data.datasets[0]!.data = [...series.happy];
    this.chart.data.datasets[1]!.data = [...series.neutral];
    this.chart.data.datasets[2]!.data = [...series.sad];
    this.chart.update('none');
  }
}
