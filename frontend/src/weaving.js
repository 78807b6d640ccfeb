// The weaving report's activity chart: introductions proposed, accepted and leading to
// collaboration, month by month. The table under the chart holds the same values.

import { Chart, BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip);

function main() {
  const canvas = document.getElementById("weaving-activity");
  const source = document.getElementById("weaving-activity-data");
  const names = document.getElementById("weaving-chart-labels");
  if (!canvas || !source || !names) return;
  const rows = JSON.parse(source.textContent);
  const labels = JSON.parse(names.textContent);
  // Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
  const series = [
    ["proposed", "#0072B2"],
    ["accepted", "#E69F00"],
    ["collaborated", "#009E73"],
  ];
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((row) => row.month),
      datasets: series.map(([key, colour]) => ({
        label: labels[key],
        data: rows.map((row) => row[key]),
        backgroundColor: colour,
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  canvas.dataset.ready = "true";
  window.netweaveWeavingChart = chart;
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
