// The field trackers' charts: the timeline of stage changes, funding by year (stacked by topic),
// by topic and by funder, and the funding gap. Each <canvas data-chart="ID"> is drawn from the
// JSON in <script id="ID"> (written by Django's json_script): {type, labels, datasets, stacked,
// horizontal, unit}. The table beside each chart holds the same numbers, for screen readers and
// for anyone without JavaScript.

import { Chart, BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip);

// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), then greys.
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const colour = (index) => (index < COLOURS.length ? COLOURS[index] : `hsl(0, 0%, ${35 + ((index * 11) % 45)}%)`);

function format(value, unit) {
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: unit === "%" ? 1 : 0,
  }).format(value);
  if (!unit) return number;
  return unit === "%" ? `${number} %` : `${number} ${unit}`;
}

function draw(canvas) {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source) return null;
  const spec = JSON.parse(source.textContent);
  const valueAxis = spec.horizontal ? "x" : "y";
  const labelAxis = spec.horizontal ? "y" : "x";
  const chart = new Chart(canvas, {
    type: spec.type || "bar",
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((dataset, index) => ({
        ...dataset,
        backgroundColor: colour(index),
        borderColor: colour(index),
      })),
    },
    options: {
      indexAxis: labelAxis === "y" ? "y" : "x",
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        [labelAxis]: { stacked: spec.stacked },
        [valueAxis]: {
          stacked: spec.stacked,
          beginAtZero: true,
          ticks: { callback: (value) => format(value, spec.unit === "%" ? "%" : "") },
        },
      },
      plugins: {
        legend: { display: spec.datasets.length > 1 },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${format(item.raw, spec.unit)}`,
          },
        },
      },
    },
  });
  canvas.dataset.ready = "true";
  return chart;
}

function main() {
  window.netweaveFieldCharts = Array.from(document.querySelectorAll("canvas[data-chart]"))
    .map(draw)
    .filter(Boolean);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
