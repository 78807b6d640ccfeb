// The health page's timeline: density, members, separate groups and modularity per snapshot,
// with each snapshot's stage in the tooltip. The table under the chart holds the same values.

import {
  Chart,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
} from "chart.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

function main() {
  const canvas = document.getElementById("health-timeline");
  const source = document.getElementById("health-timeline-data");
  const names = document.getElementById("health-chart-labels");
  if (!canvas || !source || !names) return;
  const rows = JSON.parse(source.textContent);
  const labels = JSON.parse(names.textContent);
  const series = (key) => rows.map((row) => (row[key] === null ? null : row[key]));
  const chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: rows.map((row) => [`${row.label} (${row.date})`, row.stage_label]),
      datasets: [
        { label: labels.members, data: series("members"), yAxisID: "count", borderColor: "#0072B2" },
        { label: labels.components, data: series("components"), yAxisID: "count", borderColor: "#D55E00" },
        { label: labels.density, data: series("density"), yAxisID: "share", borderColor: "#009E73" },
        { label: labels.modularity, data: series("modularity"), yAxisID: "share", borderColor: "#CC79A7" },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        count: { type: "linear", position: "left", beginAtZero: true },
        share: { type: "linear", position: "right", min: 0, max: 1, grid: { drawOnChartArea: false } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            footer: (items) => `${labels.stage}: ${rows[items[0].dataIndex].stage_label}`,
          },
        },
      },
    },
  });
  canvas.dataset.ready = "true";
  window.netweaveTimeline = chart;
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
