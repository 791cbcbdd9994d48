import { ModelData, Model } from "@kubernetes-models/base";
export interface IBoundServiceAccountToken {
    "parameter": string;
    "serviceAccountName": string;
}
export declare class BoundServiceAccountToken extends Model<IBoundServiceAccountToken> implements IBoundServiceAccountToken {
    "parameter": string;
    "serviceAccountName": string;
    constructor(data?: ModelData<IBoundServiceAccountToken>);
}
export type { IBoundServiceAccountToken as IComGithubKedacoreKedaV2ApisKedaV1alpha1BoundServiceAccountToken, BoundServiceAccountToken as ComGithubKedacoreKedaV2ApisKedaV1alpha1BoundServiceAccountToken };
