import { IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatusType } from "./HealthStatusType.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HealthStatus is the status for a ScaledObject's health
 */
export interface IHealthStatus {
    "numberOfFailures"?: number;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatusType;
}
/**
 * HealthStatus is the status for a ScaledObject's health
 */
export declare class HealthStatus extends Model<IHealthStatus> implements IHealthStatus {
    "numberOfFailures"?: number;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatusType;
    constructor(data?: ModelData<IHealthStatus>);
}
export type { IHealthStatus as IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatus, HealthStatus as ComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatus };
