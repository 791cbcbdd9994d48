import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthenticationRef } from "./AuthenticationRef.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ScaleTriggers reference the scaler that will be used
 */
export interface IScaleTriggers {
    "authenticationRef"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthenticationRef;
    "metadata": {
        [key: string]: string;
    };
    "metricType"?: string;
    "name"?: string;
    "type": string;
    "useCachedMetrics"?: boolean;
}
/**
 * ScaleTriggers reference the scaler that will be used
 */
export declare class ScaleTriggers extends Model<IScaleTriggers> implements IScaleTriggers {
    "authenticationRef"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthenticationRef;
    "metadata": {
        [key: string]: string;
    };
    "metricType"?: string;
    "name"?: string;
    "type": string;
    "useCachedMetrics"?: boolean;
    constructor(data?: ModelData<IScaleTriggers>);
}
export type { IScaleTriggers as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTriggers, ScaleTriggers as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTriggers };
