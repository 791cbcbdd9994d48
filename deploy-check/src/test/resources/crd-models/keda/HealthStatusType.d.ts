/**
 * HealthStatusType is an indication of whether the health status is happy or failing
 */
export type IHealthStatusType = string;
export type HealthStatusType = IHealthStatusType;
export type { IHealthStatusType as IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatusType, HealthStatusType as ComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatusType };
