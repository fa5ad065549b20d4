// The auditor's reports: terms kept and breached per procedure and month, refusal grounds (Chart.js).
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const terms = document.getElementById('terms-chart'), grounds = document.getElementById('grounds-chart');
  new Chart(terms, {type: 'bar', data: {labels: data.terms.map(r => r.label), datasets: [
    {label: terms.dataset.labelMet, data: data.terms.map(r => r.kept), backgroundColor: '#1f7a3f'},
    {label: terms.dataset.labelBreached, data: data.terms.map(r => r.breached), backgroundColor: '#b3261e'}]},
    options: {animation: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}});
  new Chart(grounds, {type: 'bar', data: {labels: data.refusal_grounds.map(r => r.ground),
    datasets: [{label: grounds.dataset.labelCount, data: data.refusal_grounds.map(r => r.count),
                backgroundColor: '#0b4f8a'}]},
    options: {animation: false, indexAxis: 'y'}});
})();
