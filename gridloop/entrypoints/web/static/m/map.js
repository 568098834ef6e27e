// The small map of a case: its point inside its grid's polygon, drawn without tiles, Leaflet
// loaded only when a map is first shown (the list stays light on a slow connection).
let loading = null;

function leaflet() {
  if (window.L) return Promise.resolve(window.L);
  loading ??= new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = "/static/vendor/leaflet/leaflet.css";
    document.head.append(css);
    const script = document.createElement("script");
    script.src = "/static/vendor/leaflet/leaflet.js";
    script.onload = () => resolve(window.L);
    script.onerror = () => {
      loading = null;
      reject(new Error("leaflet"));
    };
    document.head.append(script);
  });
  return loading;
}

/** Draw the case's point (lon/lat) and the grid feature (GeoJSON) into `el`. */
export async function drawCaseMap(el, point, grid) {
  const L = await leaflet();
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  const layers = [];
  if (grid) {
    const style = { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.08 };
    layers.push(L.geoJSON(grid, { style }));
  }
  if (point) {
    const dot = { radius: 9, color: "#ffffff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 };
    layers.push(L.circleMarker([point.lat, point.lon], dot));
  }
  const bounds = L.featureGroup(layers).getBounds();
  // the view comes first: vector layers added to a map without one fail to draw
  if (point && !grid) map.setView([point.lat, point.lon], 17);
  else map.fitBounds(bounds.pad(0.15), { maxZoom: 18 });
  for (const layer of layers) layer.addTo(map);
  return map;
}

/** A point surely inside a polygon ring ([[lon, lat], ...]): its centroid when inside, else the
 * middle of the first stretch a horizontal line through the centroid runs inside the ring. */
export function interiorPoint(ring) {
  let area = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j], [x1, y1] = ring[i];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  const centre = area ? [cx / (3 * area), cy / (3 * area)] : ring[0];
  const y = centre[1];
  const xs = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j], [x1, y1] = ring[i];
    if ((y0 > y) !== (y1 > y)) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
  }
  xs.sort((a, b) => a - b);
  for (let k = 0; k + 1 < xs.length; k += 2) if (xs[k] <= centre[0] && centre[0] <= xs[k + 1]) return centre;
  return xs.length >= 2 ? [(xs[0] + xs[1]) / 2, y] : centre;
}

/** The outer ring of a grid feature's (first) polygon. */
export function outerRing(feature) {
  const g = feature.geometry;
  return g.type === "MultiPolygon" ? g.coordinates[0][0] : g.coordinates[0];
}
