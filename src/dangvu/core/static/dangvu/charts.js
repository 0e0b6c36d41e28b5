/* Draws the charts of a page from the JSON in #dv-chart-data, with the vendored Chart.js.
   A canvas names its series with data-chart (or carries it in data-series) and its kind with data-type
   (bar, doughnut, years). */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var source = document.getElementById("dv-chart-data");
  var data = source ? JSON.parse(source.textContent) : {};
  var palette = ["#b71c1c", "#e08a00", "#f9d71c", "#2e7d32", "#1565c0", "#6a1b9a", "#5d4037", "#546e7a", "#ad1457"];
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  Chart.defaults.animation = false;
  Chart.defaults.locale = "vi-VN";
  var number = new Intl.NumberFormat("vi-VN");
  document.querySelectorAll("canvas[data-chart], canvas[data-series]").forEach(function (canvas) {
    var series = canvas.dataset.series ? JSON.parse(canvas.dataset.series) : data[canvas.dataset.chart];
    if (!series) { return; }
    var type = canvas.dataset.type, config;
    if (type === "years") {
      config = {
        type: "bar",
        data: {
          labels: series.years,
          datasets: [
            { label: "Kết nạp", data: series.admitted, backgroundColor: palette[0] },
            { label: "Công nhận chính thức", data: series.recognised, backgroundColor: palette[1] },
            { label: "Ra khỏi Đảng", data: series.exited, backgroundColor: palette[7] }
          ]
        },
        options: { maintainAspectRatio: false, plugins: { legend: { position: "bottom" } },
                   scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      };
    } else {
      config = {
        type: type,
        data: { labels: series.labels, datasets: [{ label: "Số đảng viên", data: series.values,
                backgroundColor: type === "doughnut" ? palette : palette[0] }] },
        options: { maintainAspectRatio: false,
                   plugins: { legend: { display: type === "doughnut", position: "right" },
                              tooltip: { callbacks: { label: function (c) { return " " + number.format(c.parsed.y !== undefined && type !== "doughnut" ? c.parsed.y : c.parsed); } } } },
                   scales: type === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      };
    }
    canvas.dataset.drawn = "1";
    new Chart(canvas, config);
  });
})();
