import { IIoK8sApimachineryPkgApiResourceQuantity } from "@kubernetes-models/apimachinery/api/resource/Quantity";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * NativeHistogramConfig extends the native histogram configuration settings.
 */
export interface INativeHistogramConfig {
    /**
     * convertClassicHistogramsToNHCB defines whether to convert all scraped classic histograms into a native histogram with custom buckets.
     * It requires Prometheus >= v3.0.0.
     */
    "convertClassicHistogramsToNHCB"?: boolean;
    /**
     * nativeHistogramBucketLimit defines ff there are more than this many buckets in a native histogram,
     * buckets will be merged to stay within the limit.
     * It requires Prometheus >= v2.45.0.
     */
    "nativeHistogramBucketLimit"?: number;
    /**
     * nativeHistogramMinBucketFactor defines if the growth factor of one bucket to the next is smaller than this,
     * buckets will be merged to increase the factor sufficiently.
     * It requires Prometheus >= v2.50.0.
     */
    "nativeHistogramMinBucketFactor"?: IIoK8sApimachineryPkgApiResourceQuantity;
    /**
     * scrapeClassicHistograms defines whether to scrape a classic histogram that is also exposed as a native histogram.
     * It requires Prometheus >= v2.45.0.
     *
     * Notice: `scrapeClassicHistograms` corresponds to the `always_scrape_classic_histograms` field in the Prometheus configuration.
     */
    "scrapeClassicHistograms"?: boolean;
    /**
     * scrapeNativeHistograms defines whether to enable scraping of native histograms.
     * It requires Prometheus >= v3.8.0.
     */
    "scrapeNativeHistograms"?: boolean;
}
/**
 * NativeHistogramConfig extends the native histogram configuration settings.
 */
export declare class NativeHistogramConfig extends Model<INativeHistogramConfig> implements INativeHistogramConfig {
    "convertClassicHistogramsToNHCB"?: boolean;
    "nativeHistogramBucketLimit"?: number;
    "nativeHistogramMinBucketFactor"?: IIoK8sApimachineryPkgApiResourceQuantity;
    "scrapeClassicHistograms"?: boolean;
    "scrapeNativeHistograms"?: boolean;
    constructor(data?: ModelData<INativeHistogramConfig>);
}
export type { INativeHistogramConfig as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NativeHistogramConfig, NativeHistogramConfig as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NativeHistogramConfig };
